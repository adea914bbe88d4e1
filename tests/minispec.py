"""A tiny but complete spec for stage tests, as text, so each test can tweak it."""

MINI_SPEC = """\
# yaml-language-server: $schema=../generator/spec.schema.json
title: Pet Store API
description: Pets and their owners.
package: petstore_api
client: PetStore
servers:
  default:
    url: https://api.petstore.example
auth:
  name: Authorization
  format: "Token {key}"
errors:
  message: error.message
  code: error.code
models:
  Species:
    enum: [dog, cat]
  Pet:
    description: A pet in the store.
    properties:
      id: {type: string, required: true}
      name: {type: string, required: true, description: What the pet answers to.}
      species: Species
      birthDate: {type: string, format: date}
      ownerToken: {type: string, secret: true}
resources:
  pets:
    description: The pets in the store.
    operations:
      list:
        summary: List pets
        method: GET
        path: /v1/owners/{owner_id}/pets
        params:
          owner_id: {in: path, type: string}
          pageSize: {in: query, type: integer, minimum: 1, maximum: 100}
        response: Pet[]
      retrieve:
        summary: Retrieve a pet
        method: GET
        path: /v1/pets/{pet_id}
        params:
          pet_id: {in: path, type: string}
        response: Pet
      create:
        summary: Add a pet
        method: POST
        path: /v1/pets
        body:
          properties:
            name: {type: string, required: true, max_length: 64}
            species: {type: Species, required: true}
            from: {type: string}
        response: {type: Pet, status: 201}
"""
