"""Library card readers; the RDM6300 125 kHz UART reader and its fake."""
