"""goalsite: lint S.M.A.R.T. career goals kept as Markdown and render a static progress site."""

__version__ = "0.1.0"
