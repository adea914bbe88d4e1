"""sdkforge: turn declarative YAML API specs into Python client packages.

The pipeline, one module per stage (imports flow one way, top to bottom)::

    load      path -> Document           YAML with the position of every node
    validate  Document -> [Problem]      JSON Schema (spec.schema.json)
    checks    Document -> [Problem]      meaning: references, names, paths
    build     Document -> ir.Api         frozen dataclasses, every Python name decided
    render    ir.Api -> {path: text}     Jinja2 templates, in memory
    format    text -> text               black, in-process
    write     {path: text} -> disk       atomic, stale files removed

``pipeline.generate`` runs them; nothing touches disk until every stage succeeded.
"""

__version__ = "0.1.0"
