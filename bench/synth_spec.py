"""A deterministic synthetic API in sdkforge's spec format, for benchmarks.

    python bench/synth_spec.py --ops 200 > /tmp/synth.yaml

Every resource has list (cursor pagination), retrieve, create, update and
delete; every model has about ten fields mixing string, nullable, integer,
number, boolean, enum, date-time, a nested object and an array of objects.
"""

from __future__ import annotations

import argparse
import sys

VERBS = ("list", "retrieve", "create", "update", "delete")

HEADER = """\
# yaml-language-server: $schema=../generator/spec.schema.json
title: Synthetic API
description: A generated API of {ops} operations for benchmarks.
package: synth_api
client: Synth
servers:
  default: {{url: "https://api.synth.example"}}
auth: {{name: Authorization, format: "Bearer {{key}}"}}
errors: {{message: error.message, code: error.code}}
pagination:
  style: cursor
  items: items
  cursor_param: cursor
  size_param: limit
  next_cursor: nextCursor
  has_more: hasMore
models:
  Status: {{enum: [active, paused, archived]}}
  Address:
    description: A postal address.
    properties:
      street: string
      city: {{type: string, required: true}}
      postalCode: string
  Tag:
    description: A label.
    properties:
      id: {{type: integer, required: true}}
      name: string
"""

MODEL = """\
  Thing{index}:
    description: Thing number {index}.
    properties:
      id: {{type: string, required: true, description: Identifier.}}
      name: {{type: string, required: true}}
      nickname: {{type: string, nullable: true}}
      count: integer
      score: number
      enabled: boolean
      status: Status
      createdAt: {{type: string, format: date-time}}
      address: Address
      tags: Tag[]
"""

OPERATIONS = {
    "list": """\
      list:
        summary: List things {index}
        method: GET
        path: /v1/things{index}
        paginate: true
        params:
          limit: {{in: query, type: integer, minimum: 1, maximum: 100}}
          cursor: {{in: query, type: string}}
        response: Thing{index}
""",
    "retrieve": """\
      retrieve:
        summary: Retrieve a thing {index}
        method: GET
        path: /v1/things{index}/{{thing_id}}
        params:
          thing_id: {{in: path, type: string}}
        response: Thing{index}
""",
    "create": """\
      create:
        summary: Create a thing {index}
        method: POST
        path: /v1/things{index}
        body:
          properties:
            name: {{type: string, required: true, max_length: 100}}
            nickname: {{type: string, nullable: true}}
            count: integer
            status: Status
            tags: Tag[]
        response: {{type: Thing{index}, status: 201}}
""",
    "update": """\
      update:
        summary: Update a thing {index}
        method: PATCH
        path: /v1/things{index}/{{thing_id}}
        params:
          thing_id: {{in: path, type: string}}
        body:
          properties:
            name: {{type: string, max_length: 100}}
            enabled: boolean
            status: Status
        response: Thing{index}
""",
    "delete": """\
      delete:
        summary: Delete a thing {index}
        method: DELETE
        path: /v1/things{index}/{{thing_id}}
        params:
          thing_id: {{in: path, type: string}}
""",
}


def synth_spec(ops: int) -> str:
    """The spec text for ``ops`` operations (rounded up to whole resources of five)."""
    resources = max(1, -(-ops // len(VERBS)))
    parts = [HEADER.format(ops=resources * len(VERBS))]
    parts += [MODEL.format(index=index) for index in range(resources)]
    parts.append("resources:\n")
    for index in range(resources):
        parts.append(f"  things{index}:\n    description: Things of kind {index}.\n    operations:\n")
        parts += [OPERATIONS[verb].format(index=index) for verb in VERBS]
    return "".join(parts)


def main() -> int:
    """Print the synthetic spec."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=20, help="number of operations (default 20)")
    arguments = parser.parse_args()
    sys.stdout.write(synth_spec(arguments.ops))
    return 0


if __name__ == "__main__":
    sys.exit(main())
