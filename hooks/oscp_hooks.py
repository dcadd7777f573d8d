"""mkdocs hook file: connects mkdocs events to the ``oscp`` engine and does nothing else."""

from oscp import mkdocs_adapter

on_config = mkdocs_adapter.on_config
on_files = mkdocs_adapter.on_files
on_env = mkdocs_adapter.on_env
on_page_markdown = mkdocs_adapter.on_page_markdown
on_page_content = mkdocs_adapter.on_page_content
on_post_build = mkdocs_adapter.on_post_build
