"""The Safer Oxford site engine: load, validate and render the content in ``content/``.

Imports run one way (a module imports only those above it):

- ``problems``, ``yaml_files``: problems as ``file:line:col`` lines; safe YAML with positions
- ``model``: the kinds registry, ``Entry``, ``Content``, ``citations()``
- ``addresses``: every public address
- ``schemas``, ``safe_markdown``, ``readability``, ``claims`` <- ``checks`` <- ``load``: read, validate,
  check (claims: warnings where a sentence may say more than its source)
- ``template_cache`` <- ``render``, ``charts``, ``search``, ``openreferral``, ``datapackage``, ``api`` <- ``pages``:
  the generated pages and files; ``dates`` (each page's date); ``cms`` (the editors' form at /admin/)
- ``clean`` (the one output sanitiser), ``head`` (<head> text), ``csp`` (the security policy from
  the theme's own scripts), ``audit`` (the post-build audit), ``search_index`` (the shaped search index)
- ``mkdocs_adapter`` (mkdocs events), ``site_build`` (the safe build), ``export`` (a hook-free
  project), ``scaffold`` and ``__main__`` (the command line)

Only ``mkdocs_adapter`` and ``site_build`` import mkdocs, so tests and the command line use
the loader and validators directly.
"""
