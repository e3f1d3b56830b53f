"""The static site (SPEC §5): plan pages, build their views, render templates, write safely."""
