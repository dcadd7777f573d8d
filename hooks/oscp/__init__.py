"""The Safer Oxford site engine: load, validate and render the content in ``content/``.

Nothing in this package imports mkdocs at module level except ``mkdocs_adapter``, so
tests and scripts can use the loader and validators directly.
"""
