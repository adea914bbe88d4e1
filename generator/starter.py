"""``sdkforge new NAME``: a commented starter spec that validates and generates as it is."""

from __future__ import annotations

import os
import re
from string import Template

from generator import naming

_STARTER = Template('''\
# yaml-language-server: $$schema=$schema
# A starter spec for the $title. The format is explained in docs/spec-format.md.
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


def starter_spec(name: str, path: str = "", schema: str = "../generator/spec.schema.json") -> str:
    """The starter spec text for an API called ``name`` (snake_case), to be written at
    ``path`` (as the user would type it; default ``specs/<name>.yaml``), its ``$schema``
    comment pointing at ``schema``."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"{name!r} is not a valid name: use snake_case, e.g. pet_store")
    client = naming.class_name(name)
    title = " ".join(part.capitalize() for part in name.split("_")) + " API"
    path = path or f"specs/{name}.yaml"
    return _STARTER.substitute(name=name, client=client, title=title, prefix=name.upper(), path=path, schema=schema)


def schema_reference(target: str) -> str:
    """How the spec at ``target`` refers to the JSON Schema: the project's
    ``generator/spec.schema.json``, the project being the working directory, so that a
    spec in ``specs/`` gets ``../generator/spec.schema.json`` as the README says."""
    schema = os.path.abspath(os.path.join("generator", "spec.schema.json"))
    try:
        return os.path.relpath(schema, os.path.dirname(os.path.abspath(target))).replace(os.sep, "/")
    except ValueError:  # on another drive: no relative path leads there
        return schema.replace(os.sep, "/")
