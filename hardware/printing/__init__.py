"""Receipt printing: slips rendered as raster images, sent over pluggable connections, queued.

Vietnamese cannot be printed reliably through ESC/POS code pages, so every slip is drawn with
DejaVu Sans and sent as a `GS v 0` raster image. A printer fault never blocks a loan: slips go
through the persistent `PrintQueue`.
"""
