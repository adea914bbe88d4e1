"""``sdkforge new NAME``: a commented starter spec that validates and generates as it is."""

from __future__ import annotations

import os
import re
from string import Template

from generator import naming
from generator.paths import inside

_STARTER = Template('''\
$schema_line
# A starter spec for the $title. `sdkforge schema` prints the format as JSON Schema;
# docs/spec-format.md in sdkforge's source explains it.
# Check it with `sdkforge validate $path`, then `sdkforge generate $path`.

title: $title
description: What the API does, in a sentence or two.
package: ${name}_api          # import name of the generated package
client: $client               # $client and Async$client
env_prefix: $prefix           # ${prefix}_API_KEY, ${prefix}_BASE_URL, ${prefix}_LOG

servers:
  default:
    url: https://api.example.com   # origin only; paths below carry /v1 etc.

auth:
  name: Authorization        # the header that carries the key
  format: "Bearer {key}"     # or "Token {key}", or "{key}" for the bare key

errors:
  message: error.message     # where an error body keeps its message...
  code: error.code           # ...and its machine-readable code

models:
  Item:
    description: One item.
    properties:
      id: {type: string, required: true, description: The item's id.}
      name: {type: string, required: true, description: The item's name.}
      createdAt: {type: string, format: date-time, description: When it was created.}

resources:
  items:
    description: The items of the account.
    operations:
      list:
        summary: List items
        method: GET
        path: /v1/items
        response: Item[]
      retrieve:
        summary: Retrieve an item
        method: GET
        path: /v1/items/{item_id}
        params:
          item_id: {in: path, type: string, description: The item's id.}
        response: Item
      create:
        summary: Create an item
        method: POST
        path: /v1/items
        body:
          properties:
            name: {type: string, required: true, max_length: 100, description: The item's name.}
        response: {type: Item, status: 201}
''')


def starter_spec(name: str, path: str = "", schema: str | None = "../generator/spec.schema.json") -> str:
    """The starter spec text for an API called ``name`` (snake_case), to be written at
    ``path`` (as the user would type it; default ``specs/<name>.yaml``), its ``$schema``
    comment pointing at ``schema``, or telling how to get one when there is none."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"{name!r} is not a valid name: use snake_case, e.g. pet_store")
    client = naming.class_name(name)
    title = " ".join(part.capitalize() for part in name.split("_")) + " API"
    path = path or f"specs/{name}.yaml"
    schema_line = (
        f"# yaml-language-server: $schema={schema}"
        if schema is not None
        else "# For completion in your editor, run `sdkforge schema > spec.schema.json` and replace these\n"
        "# two lines with `# yaml-language-server: $schema=<the path from this file to spec.schema.json>`."
    )
    return _STARTER.substitute(name=name, client=client, title=title, prefix=name.upper(), path=path, schema_line=schema_line)


def schema_reference(target: str) -> str | None:
    """How the spec at ``target`` refers to the JSON Schema of the format, for editors: by a
    path relative to it, to ``generator/spec.schema.json`` in the working directory (this
    repository, where the README says so), else to the installed sdkforge's copy when that
    is inside the working directory (a project's own ``.venv``). None otherwise: a path that
    leaves the project would hold on one machine only, and the spec is committed."""
    installed = os.path.join(os.path.dirname(os.path.abspath(__file__)), "spec.schema.json")
    for candidate in (os.path.join("generator", "spec.schema.json"), installed):
        if os.path.isfile(candidate) and inside(candidate, os.getcwd()):
            try:
                return os.path.relpath(os.path.realpath(candidate), os.path.dirname(os.path.realpath(target))).replace(os.sep, "/")
            except ValueError:  # the spec on another drive: no relative path leads there
                continue
    return None
