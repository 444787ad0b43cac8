"""The appliance around the application: first-boot provisioning, backups and restores.

Everything here takes the filesystem root as a parameter, so tests run it against a
temporary directory and the device runs it against ``/``.
"""
