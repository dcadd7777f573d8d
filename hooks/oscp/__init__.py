"""The Safer Oxford site engine: load, validate and render the content in ``content/``.

Imports run one way: ``problems`` and ``yaml_files`` <- ``model`` <- ``addresses`` <- ``schemas``,
``checks`` <- ``load`` <- ``pages``/``api``/``charts``/``render`` <- ``mkdocs_adapter``,
``site_build`` and ``__main__``. Only ``mkdocs_adapter`` and ``site_build`` import mkdocs, so
tests and the command line can use the loader and validators directly.
"""
