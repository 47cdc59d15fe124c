"""Archiving: closed cases leave the hot tables for one row each holding their paper trail.
See docs/archiving.md."""
