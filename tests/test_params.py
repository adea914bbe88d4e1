"""Models an argument takes may be passed as dicts: each has a ``...Param`` TypedDict that type
checkers hold the dict to, while at run time the model checks it and is what gets sent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from generator.build import build
from generator.load import loads
from tests.apiserver import APIServer
from tests.minispec import MINI_SPEC
from tests.test_inline_clients import fresh_modules, generate_client  # noqa: F401 (a fixture)

# A recursive model, a union of two models, an enum, a nullable field and a model only returned.
PARAM_MODELS = """\
  Tree:
    properties:
      label: {type: string, required: true}
      children: Tree[]
  Circle:
    properties:
      radius: {type: number, required: true}
  Square:
    properties:
      side: {type: number, required: true}
  Shape:
    one_of: [Circle, Square]
  Box:
    properties:
      kind: {type: Species, required: true}
      shape: Shape
      shapeNote: {type: string, nullable: true, description: Why this shape.}
      tags: string[]
      sizes: number[]
      counts: {type: map, values: integer}
  Forest:
    type: Tree[]
  Receipt:
    properties:
      id: {type: string, required: true}
resources:
  boxes:
    description: Boxes of shapes.
    operations:
      pack:
        summary: Pack a box
        method: POST
        path: /v1/boxes
        body:
          properties:
            box: {type: Box, required: true}
            shapes: {type: "Shape[]", min_items: 1}
            tree: Tree
            forest: Forest
        response: Receipt
"""
SPEC = MINI_SPEC.replace("resources:\n", PARAM_MODELS, 1)


def test_params_are_built_for_the_models_arguments_take_and_those_they_hold() -> None:
    models = {model.name: model for model in build(loads(SPEC, "specs/params.yaml")).models}
    # Object models only: an argument spells a union of models out (below).
    assert {name for name, model in models.items() if model.param} == {"Tree", "Circle", "Square", "Box"}
    box = models["Box"].param
    assert box is not None and box.name == "BoxParam" and box.required_base == "_BoxRequired" and not box.total
    keys = {key.name: (key.annotation, key.required) for key in box.keys}
    # As strict as an argument (no "| str" for the enum), None only where the spec allows null,
    # Sequence and Mapping, which a list or dict of a narrower type the caller built also is.
    # (Lists of str excepted: see tags.)
    assert keys == {
        "kind": ("Species", True),
        "shape": ("Circle | CircleParam | Square | SquareParam", False),
        "shape_note": ("str | None", False),
        "tags": ("list[str]", False),  # not Sequence[str], which a str "a,b" also is
        "sizes": ("Sequence[int | float]", False),
        "counts": ("Mapping[str, int]", False),
    }
    circle = models["Circle"].param
    assert circle is not None and circle.total and circle.required_base == ""
    assert [(key.name, key.annotation) for key in circle.keys] == [("radius", "int | float")]
    tree = models["Tree"].param
    assert tree is not None and [key.annotation for key in tree.keys] == ["str", "Sequence[Tree | TreeParam]"]


def test_an_argument_takes_the_model_or_its_param_and_a_sequence_of_them() -> None:
    resource = next(resource for resource in build(loads(SPEC, "specs/params.yaml")).resources if resource.name == "boxes")
    arguments = {argument.name: argument.annotation for argument in resource.operations[0].arguments}
    assert arguments == {
        "box": "Box | BoxParam",
        "shapes": "Annotated[Sequence[Circle | CircleParam | Square | SquareParam], Field(min_length=1)]",
        "tree": "Tree | TreeParam",
        "forest": "Sequence[Tree | TreeParam]",  # an alias naming a model is spelled out
    }
    assert resource.params == (("BoxParam", "Box"), ("CircleParam", "Circle"), ("SquareParam", "Square"), ("TreeParam", "Tree"))


@pytest.mark.usefixtures("fresh_modules")
def test_dicts_by_attribute_or_wire_name_are_sent_as_the_models_json(tmp_path: Path, server: APIServer) -> None:
    module = generate_client(tmp_path, SPEC, "params_api")
    models = __import__("params_api.models", fromlist=["Box"])
    server.route("POST", "/v1/boxes", json={"id": "r1"})
    with module.PetStore(api_key="k", base_url=server.url) as client:
        receipt = client.boxes.pack(
            box={"kind": "dog", "shape": {"radius": 2}, "shape_note": None},
            shapes=[{"side": 1.5}, models.Circle(radius=3)],
            tree={"label": "root", "children": [{"label": "leaf"}, models.Tree(label="other")]},
            forest=({"label": "oak"},),
        )
        client.boxes.pack(box={"kind": "cat", "shapeNote": "wire names work too"})
    assert receipt.id == "r1"
    first, second = (request.json() for request in server.requests)
    assert first == {
        "box": {"kind": "dog", "shape": {"radius": 2}, "shapeNote": None},
        "shapes": [{"side": 1.5}, {"radius": 3}],
        "tree": {"label": "root", "children": [{"label": "leaf"}, {"label": "other"}]},
        "forest": [{"label": "oak"}],
    }
    assert second == {"box": {"kind": "cat", "shapeNote": "wire names work too"}}
    assert {"BoxParam", "CircleParam", "TreeParam"} <= set(models.__all__)
    assert not {"ReceiptParam", "ShapeParam"} & set(models.__all__)
    assert models.BoxParam.__name__ == "BoxParam" and issubclass(models.BoxParam, dict)  # the TypedDict, not the model
    # At run time too, as TypedDict machinery and tools that read it see it.
    assert (models.BoxParam.__required_keys__, models.TreeParam.__required_keys__) == ({"kind"}, {"label"})
    assert models.BoxParam.__optional_keys__ == {"shape", "shape_note", "tags", "sizes", "counts"}
    assert set(typing.get_type_hints(models.BoxParam)) == {"kind", "shape", "shape_note", "tags", "sizes", "counts"}


@pytest.mark.usefixtures("fresh_modules")
def test_a_dict_that_is_not_the_model_fails_before_anything_is_sent(tmp_path: Path, server: APIServer) -> None:
    module = generate_client(tmp_path, SPEC, "params_bad_api")
    with module.PetStore(api_key="k", base_url=server.url) as client:
        # As lenient as the model (an enum value it does not know passes, as from a newer server);
        # type checkers hold the dict to the Param's documented values.
        with pytest.raises(ValueError, match=r"^Boxes.pack\(\): box\.kind: Field required") as raised:
            client.boxes.pack(box={"shape_note": "sekrit-note"})
        with pytest.raises(ValueError, match=r"^Boxes.pack\(\): tree\.children\.0\.label: Input should be a valid string \(got int\)"):
            client.boxes.pack(box={"kind": "dog"}, tree={"label": "root", "children": [{"label": 7}]})
        with pytest.raises(ValueError, match=r"shapes: .*at least 1 item"):
            client.boxes.pack(box={"kind": "dog"}, shapes=())
    assert server.requests == []
    assert "sekrit" not in str(raised.value)  # values stay out of the message


USER_PROGRAM = """\
from __future__ import annotations

from params_api import PetStore
from params_api.models import Box, BoxParam, Circle, Tree, TreeParam


def pack(client: PetStore) -> str:
    boxes: list[Box] = [Box(kind="dog")]
    client.boxes.pack(box=boxes[0], shapes=[Circle(radius=1), {"side": 2}])
    sizes, counts = [1, 2], {"a": 1}
    note: BoxParam = {"kind": "cat", "shape_note": None, "shape": {"radius": 1.5}, "sizes": sizes, "counts": counts}
    leaves: list[Tree] = [Tree(label="leaf")]
    tree: TreeParam = {"label": "root", "children": [*leaves, {"label": "other"}]}
    return client.boxes.pack(box=note, tree=tree).id


def mistakes(client: PetStore) -> None:
    client.boxes.pack(box={"kind": "parrot"})  # error: arg-type
    client.boxes.pack(box={"shape": {"radius": 1}})  # error: arg-type
    client.boxes.pack(box={"kind": "dog", "tags": "a,b"})  # error: arg-type
    client.boxes.pack(box={"kind": "dog", "shapeNote": "wire name"})  # error: arg-type
    client.boxes.pack(box={"kind": "dog"}, tree={"children": []})  # error: arg-type
"""


def test_type_checkers_hold_a_dict_to_the_models_param(tmp_path: Path) -> None:
    generate_client(tmp_path, SPEC, "params_api")
    (tmp_path / "user_program.py").write_text(USER_PROGRAM)
    expected = [(number, line.rsplit("# error: ", 1)[1]) for number, line in enumerate(USER_PROGRAM.splitlines(), 1) if "# error: " in line]
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), "user_program.py", "params_api"],
        cwd=tmp_path, env={**os.environ, "MYPYPATH": str(tmp_path)}, capture_output=True, text=True, check=False,
    )
    found = [
        (int(line.split(":")[1]), line.rsplit("[", 1)[1].rstrip("]"))
        for line in mypy.stdout.splitlines()
        if ": error: " in line
    ]
    # The package itself is clean; each mistake is reported on its line, and nothing else.
    assert sorted(found) == expected, mypy.stdout
    pyright = subprocess.run(
        [sys.executable, "-m", "pyright", "--outputjson", "--pythonpath", sys.executable, "user_program.py"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(tmp_path)}, capture_output=True, text=True, check=False,
    )
    lines = sorted({problem["range"]["start"]["line"] + 1 for problem in json.loads(pyright.stdout)["generalDiagnostics"]})
    assert lines == [number for number, _code in expected], pyright.stdout


def test_the_readme_names_the_models_arguments_take_as_dicts() -> None:
    from generator.render import render

    readme = render(build(loads(SPEC, "specs/params.yaml")))[Path("README.md")]
    assert "## Models or dicts\n\nAn argument that takes a model (`Tree`, `Circle`, `Square`, ...) also takes a\n" in readme
    assert "(`TreeParam`, in\n`petstore_api.models`)" in readme
    assert "## Models or dicts" not in render(build(loads(MINI_SPEC, "specs/petstore.yaml")))[Path("README.md")]
