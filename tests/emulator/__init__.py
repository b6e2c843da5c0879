"""A local AWS for the collection's tests and demo: moto's server plus our extensions.

Start it with ``python -m emulator`` (``make emulator``); see README.md in this folder.
"""
