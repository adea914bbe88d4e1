"""Tiny specs generated at test time and exercised end to end: runtime features no seed API uses."""

from __future__ import annotations

import datetime
import email.parser
import email.policy
import importlib
import logging
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.build import build
from generator.format import format_files
from generator.load import loads
from generator.render import render
from tests.apiserver import APIServer, Reply
from tests.minispec import MINI_SPEC

PET = {"id": "p1", "name": "Rex"}


def generate_client(tmp_path: Path, spec_text: str, package: str) -> ModuleType:
    """Generate ``spec_text`` (renamed to ``package``) into tmp_path and import it."""
    text = spec_text.replace("package: petstore_api", f"package: {package}")
    files = format_files(render(build(loads(text, "specs/petstore.yaml"))))
    for path, content in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(tmp_path))


@pytest.fixture
def fresh_modules(tmp_path: Path) -> Iterator[None]:
    """Forget the packages a test generated and imported, so the next test's are its own.

    Only those: httpcore, for one, imports parts of itself at the first connection, and a
    second copy of them would raise exceptions httpx does not recognise, in later tests.
    """
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        if str(getattr(sys.modules[name], "__file__", None) or "").startswith(str(tmp_path)):
            del sys.modules[name]


@pytest.mark.usefixtures("fresh_modules")
def test_idempotency_key_is_reused_across_retries_of_a_post(tmp_path: Path, server: APIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = MINI_SPEC.replace("errors:", "idempotency_header: Idempotency-Key\nerrors:")
    module = generate_client(tmp_path, spec, "idem_api")
    monkeypatch.setattr(importlib.import_module("idem_api._runtime"), "INITIAL_RETRY_DELAY", 0.01)
    server.queue("POST", "/v1/pets", Reply(500), Reply(502))
    server.route("POST", "/v1/pets", status=201, json=PET)
    with module.PetStore(api_key="k", base_url=server.url) as client:
        assert client.pets.create(name="Rex", species="dog").name == "Rex"
        client.pets.create(name="Rex", species="dog")
        client.pets.create(name="Rex", species="dog", options=module.RequestOptions(extra_headers={"idempotency-key": "order-42"}))
    keys = [request.header("Idempotency-Key") for request in server.requests]
    assert len(keys) == 5 and keys[0] == keys[1] == keys[2] != keys[3]  # one key per call, not per attempt
    assert all(keys)
    assert server.requests[4].header_values("Idempotency-Key") == ["order-42"]  # the caller's key, alone
    server.requests.clear()
    with module.PetStore(api_key="k", base_url=server.url, default_headers={"idempotency-key": "fixed"}) as client:
        client.pets.create(name="Rex", species="dog")
    assert server.requests[0].header_values("Idempotency-Key") == ["fixed"]  # a default header is kept too


@pytest.mark.usefixtures("fresh_modules")
def test_without_idempotency_a_post_is_not_retried_on_500(tmp_path: Path, server: APIServer) -> None:
    module = generate_client(tmp_path, MINI_SPEC, "plain_api")
    server.route("POST", "/v1/pets", status=500, json={"error": {"message": "boom", "code": "E"}})
    with module.PetStore(api_key="k", base_url=server.url) as client, pytest.raises(module.InternalServerError) as caught:
        client.pets.create(name="Rex", species="dog")
    assert len(server.requests) == 1
    assert (caught.value.message, caught.value.code) == ("boom", "E")


@pytest.mark.usefixtures("fresh_modules")
def test_a_query_credential_never_reaches_logs_or_errors(tmp_path: Path, server: APIServer, caplog: pytest.LogCaptureFixture) -> None:
    spec = MINI_SPEC.replace('  name: Authorization\n  format: "Token {key}"', "  in: query\n  name: api_key")
    module = generate_client(tmp_path, spec, "query_api")
    server.route("GET", "/v1/pets/p1", status=404, json={"error": {"message": "no such pet"}})
    caplog.set_level(logging.INFO, logger="httpx")  # httpx's own line of each request, URL and all
    caplog.set_level(logging.DEBUG, logger="query_api")  # last: the capturing handler's level is its
    with module.PetStore(api_key="s3cret-key", base_url=server.url, max_retries=0) as client:
        with pytest.raises(module.NotFoundError) as caught:
            client.pets.retrieve("p1")
        assert server.requests[0].query["api_key"] == ["s3cret-key"]
        assert "s3cret-key" not in repr(client) + str(caught.value) + repr(caught.value)
    assert "api_key=%3Credacted%3E" in caplog.text and "-> 404" in caplog.text
    assert any(record.name == "httpx" and "HTTP Request: GET" in record.getMessage() for record in caplog.records)
    assert "s3cret-key" not in caplog.text


@pytest.mark.usefixtures("fresh_modules")
@pytest.mark.parametrize("location", ["https://other.example/v1/pets/p1?api_key=s3cret-key", "/v1/pets/p1?api_key=s3cret-key"])
def test_a_query_credential_kept_by_a_redirect_is_not_in_the_error(tmp_path: Path, server: APIServer, location: str) -> None:
    # Servers that move a resource keep its query: the redirect's Location holds the key.
    spec = MINI_SPEC.replace('  name: Authorization\n  format: "Token {key}"', "  in: query\n  name: api_key")
    module = generate_client(tmp_path, spec, "query_redirect_api")
    server.route("GET", "/v1/pets/p1", status=301, headers={"Location": location})
    with module.PetStore(api_key="s3cret-key", base_url=server.url, max_retries=0) as client, pytest.raises(module.APIStatusError) as caught:
        client.pets.retrieve("p1")
    message = str(caught.value) + repr(caught.value)
    assert "api_key=%3Credacted%3E" in message and "s3cret-key" not in message
    assert ("was not followed" if location.startswith("https") else "gave up after") in message


@pytest.mark.usefixtures("fresh_modules")
def test_an_alternative_query_credential_replaces_the_key_and_is_redacted(
    tmp_path: Path, server: APIServer, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    alternative = '  format: "Token {key}"\n  alternatives:\n    signed_token: {in: query, name: sig}\n'
    spec = MINI_SPEC.replace('  format: "Token {key}"\n', alternative)
    module = generate_client(tmp_path, spec, "alt_api")
    monkeypatch.setenv("PETSTORE_API_KEY", "the-key")  # a token passed in wins over the key's variable
    server.route("GET", "/v1/pets/p1", status=404, json={"error": {"message": "no such pet"}})
    caplog.set_level(logging.DEBUG, logger="alt_api")
    with module.PetStore(signed_token="s1gned", base_url=server.url, max_retries=0) as client:
        with pytest.raises(module.NotFoundError) as caught:
            client.pets.retrieve("p1")
        assert "s1gned" not in repr(client) + str(caught.value)
    request = server.only_request()
    assert request.query["sig"] == ["s1gned"]
    assert request.header("Authorization") is None
    assert "sig=%3Credacted%3E" in caplog.text and "s1gned" not in caplog.text


@pytest.mark.usefixtures("fresh_modules")
def test_date_and_date_time_path_parameters_are_sent_in_iso_form(tmp_path: Path, server: APIServer) -> None:
    # A date argument has no length: a min_length on it made pydantic refuse every call.
    by_day = """\
      by_day:
        summary: Pets born on a day
        method: GET
        path: /v1/days/{day}/pets/{since}
        params:
          day: {in: path, type: string, format: date}
          since: {in: path, type: string, format: date-time}
        response: Pet[]
"""
    module = generate_client(tmp_path, MINI_SPEC.replace("      retrieve:\n", by_day + "      retrieve:\n", 1), "dates_api")
    server.route("GET", "/v1/days/2024-05-06/pets/2024-05-06T07:08:09+00:00", json=[PET])
    with module.PetStore(api_key="k", base_url=server.url) as client:
        since = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)
        assert client.pets.by_day(day=datetime.date(2024, 5, 6), since=since)[0].name == "Rex"
    assert server.only_request().raw_path == "/v1/days/2024-05-06/pets/2024-05-06T07%3A08%3A09%2B00%3A00"


@pytest.mark.usefixtures("fresh_modules")
def test_a_cookie_credential_is_sent_as_a_cookie(tmp_path: Path, server: APIServer) -> None:
    spec = MINI_SPEC.replace('  name: Authorization\n  format: "Token {key}"', "  in: cookie\n  name: session")
    module = generate_client(tmp_path, spec, "cookie_api")
    server.route("GET", "/v1/pets/p1", json=PET)
    with module.PetStore(api_key="c00kie", base_url=server.url) as client:
        client.pets.retrieve("p1")
    assert server.requests[0].header("Cookie") == "session=c00kie"
    assert server.requests[0].header("Authorization") is None


@pytest.mark.usefixtures("fresh_modules")
def test_log_environment_variable_turns_on_debug_lines(tmp_path: Path, server: APIServer, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    module = generate_client(tmp_path, MINI_SPEC, "logged_api")
    monkeypatch.setenv("PETSTORE_LOG", "debug")
    # A program that configured no logging (pytest's own capture handler set aside).
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    server.route("GET", "/v1/pets/p1", json=PET)
    try:
        with module.PetStore(api_key="hidden-key", base_url=server.url) as client:
            client.pets.retrieve("p1")
        err = capfd.readouterr().err
        assert f"logged_api DEBUG GET {server.url}/v1/pets/p1 -> 200" in err
        assert "hidden-key" not in err
    finally:
        logging.getLogger("logged_api").handlers.clear()
        logging.getLogger("logged_api").setLevel(logging.NOTSET)


@pytest.mark.usefixtures("fresh_modules")
def test_log_environment_variable_prints_once_through_the_programs_own_handler(tmp_path: Path, server: APIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    module = generate_client(tmp_path, MINI_SPEC, "relogged_api")
    monkeypatch.setenv("PETSTORE_LOG", "info")
    seen: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = seen.append  # type: ignore[method-assign]
    monkeypatch.setattr(logging.getLogger(), "handlers", [handler])
    server.queue("GET", "/v1/pets/p1", Reply(503))
    server.route("GET", "/v1/pets/p1", json=PET)
    try:
        with module.PetStore(api_key="hidden-key", base_url=server.url) as client:
            module._runtime.INITIAL_RETRY_DELAY = 0.01
            client.pets.retrieve("p1")
        package_logger = logging.getLogger("relogged_api")
        assert package_logger.handlers == []  # the program's handler prints the lines, once
        # info: the retry, not the attempt that succeeded.
        assert [record.getMessage().split(" in ")[0] for record in seen if record.name == "relogged_api"] == [f"GET {server.url}/v1/pets/p1 -> 503"]
    finally:
        logging.getLogger("relogged_api").handlers.clear()
        logging.getLogger("relogged_api").setLevel(logging.NOTSET)


@pytest.mark.usefixtures("fresh_modules")
def test_logging_configured_after_the_client_was_made_prints_each_line_once(
    tmp_path: Path, server: APIServer, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    module = generate_client(tmp_path, MINI_SPEC, "late_logged_api")
    monkeypatch.setenv("PETSTORE_LOG", "debug")
    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # nothing configured yet: ours is added
    server.route("GET", "/v1/pets/p1", json=PET)
    try:
        with module.PetStore(api_key="hidden-key", base_url=server.url) as client:
            seen: list[logging.LogRecord] = []
            handler = logging.Handler()
            handler.emit = seen.append  # type: ignore[method-assign]
            monkeypatch.setattr(logging.getLogger(), "handlers", [handler])  # logging.basicConfig(), later
            client.pets.retrieve("p1")
        assert [record.getMessage().split(" in ")[0] for record in seen if record.name == "late_logged_api"] == [f"GET {server.url}/v1/pets/p1 -> 200"]
        assert "late_logged_api" not in capfd.readouterr().err  # not printed a second time by ours
    finally:
        logging.getLogger("late_logged_api").handlers.clear()
        logging.getLogger("late_logged_api").setLevel(logging.NOTSET)


@pytest.mark.usefixtures("fresh_modules")
def test_plain_http_to_another_host_needs_an_explicit_opt_in(tmp_path: Path) -> None:
    module = generate_client(tmp_path, MINI_SPEC, "insecure_api")
    with pytest.raises(ValueError, match="would send the API key unencrypted"):
        module.PetStore(api_key="k", base_url="http://api.example.com")
    assert module.PetStore(api_key="k", base_url="http://api.example.com", allow_insecure_http=True).base_url == "http://api.example.com"
    assert module.PetStore(api_key="k", base_url="http://localhost:8080").base_url == "http://localhost:8080"
    https_only = generate_client(tmp_path / "strict", MINI_SPEC.replace("servers:", "https_only: true\nservers:"), "strict_api")
    with pytest.raises(ValueError, match="only accepts HTTPS"):
        https_only.PetStore(api_key="k", base_url="http://api.example.com", allow_insecure_http=True)


@pytest.mark.usefixtures("fresh_modules")
def test_a_shared_http_client_is_used_and_left_open(tmp_path: Path, server: APIServer) -> None:
    import httpx

    module = generate_client(tmp_path, MINI_SPEC, "shared_api")
    server.route("GET", "/v1/pets/p1", json=PET)
    with httpx.Client(headers={"X-Shared": "yes"}) as shared:
        with module.PetStore(api_key="k", base_url=server.url, http_client=shared) as client:
            client.pets.retrieve("p1")
        assert not shared.is_closed
    assert server.requests[0].header("X-Shared") == "yes"


@pytest.mark.usefixtures("fresh_modules")
def test_models_load_on_first_use_and_cycles_resolve(tmp_path: Path) -> None:
    from tests.test_build import CYCLIC_MODELS

    spec = MINI_SPEC.replace("models:\n  Species:\n", CYCLIC_MODELS)
    module = generate_client(tmp_path, spec, "lazy_models_api")
    models = importlib.import_module("lazy_models_api.models")
    assert not [name for name in sys.modules if name.startswith("lazy_models_api._models.")]
    listing = models.Listing.model_validate(
        {"entries": [{"name": "docs", "children": [{"name": "a.txt", "folder": {"name": "docs"}}]}, {"name": "b.txt"}]})
    folder, file = listing.entries
    assert isinstance(folder, models.Folder) and isinstance(folder.children[0], models.File)
    assert folder.children[0].folder.name == "docs" and file.name == "b.txt"
    loaded = sorted(name.rsplit(".", 1)[1] for name in sys.modules if name.startswith("lazy_models_api._models."))
    assert loaded == ["entry", "listing"]  # not pet, types, ab_test...
    assert module.Listing is models.Listing  # the package's own lazy export
    assert {"Entry", "Folder", "Species"} <= set(dir(models))
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        models.Nope  # noqa: B018


@pytest.mark.usefixtures("fresh_modules")
def test_a_call_imports_only_the_models_it_returns(tmp_path: Path, server: APIServer) -> None:
    from tests.test_build import CYCLIC_MODELS

    module = generate_client(tmp_path, MINI_SPEC.replace("models:\n  Species:\n", CYCLIC_MODELS), "first_call_api")
    server.route("GET", "/v1/pets/p1", json=PET)
    with module.PetStore(api_key="k", base_url=server.url) as client:
        assert client.pets.retrieve("p1").name == "Rex"
    loaded = sorted(name.rsplit(".", 1)[1] for name in sys.modules if name.startswith("first_call_api._models."))
    assert loaded == ["pet", "types"]


HEADER_PARAM_SPEC = MINI_SPEC.replace(
    "          pet_id: {in: path, type: string}\n        response: Pet\n",
    "          pet_id: {in: path, type: string}\n"
    "          Authorization: {in: header, type: string, python_name: user_token}\n"
    "          X-Trace: {in: header, type: string}\n"
    "        response: Pet\n",
)


@pytest.mark.usefixtures("fresh_modules")
@pytest.mark.parametrize("shared", [False, True], ids=["own http client", "shared http client"])
def test_fixed_headers_and_the_credential_reach_every_request(tmp_path: Path, server: APIServer, shared: bool) -> None:
    import httpx

    package = f"headers_{'shared' if shared else 'own'}_api"
    module = generate_client(tmp_path, HEADER_PARAM_SPEC, package)
    server.route("GET", "/v1/pets/p1", json=PET)
    http_client = httpx.Client() if shared else None
    with module.PetStore(api_key="k", base_url=server.url, http_client=http_client, default_headers={"X-Team": "t1"}) as client:
        client.pets.retrieve("p1")
        client.pets.retrieve("p1", x_trace="abc")
        with pytest.raises(ValueError, match="Authorization header is both this call's own and where the client's api_key goes"):
            client.pets.retrieve("p1", user_token="not-the-key")  # one would replace the other: nothing is sent
        client.pets.retrieve("p1", options=module.RequestOptions(extra_headers={"Authorization": "Token other"}))
    if http_client is not None:
        http_client.close()
    sent = [(request.header("Authorization"), request.header("Accept"), request.header("X-Team"), request.header("X-Trace"))
            for request in server.requests]
    assert sent == [
        ("Token k", "application/json", "t1", None),
        ("Token k", "application/json", "t1", "abc"),
        ("Token other", "application/json", "t1", None),
    ]
    user_agent = f"{package.replace('_', '-')}/{module.__version__}"
    assert [request.header("User-Agent") for request in server.requests] == [user_agent] * 3


@pytest.mark.usefixtures("fresh_modules")
def test_a_spec_without_models_gives_a_package_that_imports_and_calls(tmp_path: Path, server: APIServer) -> None:
    head = MINI_SPEC[: MINI_SPEC.index("models:")]
    spec = head + "resources:\n  pets:\n    operations:\n      delete:\n        summary: Delete a pet\n        method: DELETE\n        path: /v1/pets/{pet_id}\n        params:\n          pet_id: {in: path, type: string}\n"
    module = generate_client(tmp_path, spec, "modelless_api")
    server.route("DELETE", "/v1/pets/p1", status=204)

    with module.PetStore(api_key="k", base_url=server.url) as client:
        assert client.pets.delete("p1") is None

    assert importlib.import_module("modelless_api.models").__all__ == []
    assert server.requests[0].method == "DELETE"


@pytest.mark.usefixtures("fresh_modules")
def test_a_field_named_like_a_builtin_type_is_usable(tmp_path: Path, server: APIServer) -> None:
    spec = MINI_SPEC.replace("      ownerToken: {type: string, secret: true}\n", "      ownerToken: {type: string, secret: true}\n      str: string\n      datetime: {type: string, format: date-time}\n      list: string[]\n")
    module = generate_client(tmp_path, spec, "builtin_fields_api")
    server.route("GET", "/v1/pets/p1", json={**PET, "str": "s", "datetime": "2024-01-02T03:04:05Z", "list": ["a"]})

    with module.PetStore(api_key="k", base_url=server.url) as client:
        pet = client.pets.retrieve("p1")

    assert (pet.str_, pet.datetime_.year, pet.list_) == ("s", 2024, ["a"])
    assert pet.model_dump(by_alias=True, exclude_unset=True)["str"] == "s"


# Names the generated code uses itself, and the wire forms of less common parameters ----------

NAMES_SPEC = MINI_SPEC.replace("client: PetStore", "client: Acme").replace(
    "models:\n", "models:\n  Tags:\n    type: string[]\n"
) + """\
  self:
    operations:
      retrieve:
        summary: Retrieve a pet by a name the resource class uses itself
        method: GET
        path: /v1/self/{pet_id}
        params:
          pet_id: {in: path, type: string}
          prefixed: {in: query, type: string}
          tags: {in: query, type: Tags}
          X-Owner: {in: header, type: string, prefix: "Owner "}
          X-Dry-Run: {in: header, type: boolean}
          weight: {in: query, type: number}
        response: Pet
  to_raw_response:
    operations:
      retrieve:
        summary: Retrieve a pet through a resource named like the raw-response helper
        method: GET
        path: /v1/raw/{pet_id}
        params:
          pet_id: {in: path, type: string}
        response: Pet
"""


@pytest.mark.usefixtures("fresh_modules")
def test_names_the_generated_code_uses_itself_are_free_for_the_spec(tmp_path: Path, server: APIServer) -> None:
    # A resource `self` wrote `def __init__(self, self: ...)`, `to_raw_response` shadowed the
    # helper its raw view calls, a parameter `prefixed` shadowed the helper that adds the
    # header prefix, a client named Acme sorted before AsyncAcme broke ruff's order, and an
    # unconstrained number argument spelled int | float broke ruff's PYI041.
    module = generate_client(tmp_path, NAMES_SPEC, "names_api")
    server.route("GET", "/v1/self/p1", json=PET)
    server.route("GET", "/v1/raw/p1", json=PET)
    assert "weight: Number | NotGiven" in (tmp_path / "names_api" / "resources" / "self.py").read_text()
    with module.Acme(api_key="k", base_url=server.url) as client:
        pet = client.self.retrieve("p1", prefixed_="x", tags=["a", "b"], x_owner="ada", x_dry_run=False, weight=5)
        client.self.retrieve("p1", weight=2.5)
        raw = client.to_raw_response.with_raw_response.retrieve("p1")
    assert pet.name == "Rex" and raw.parse().name == "Rex"
    first = server.requests[0]
    assert first.query == {"prefixed": ["x"], "tags": ["a", "b"], "weight": ["5"]}  # an int stays an int
    assert server.requests[1].query == {"weight": ["2.5"]}
    assert (first.header("X-Owner"), first.header("X-Dry-Run")) == ("Owner ada", "false")  # not Python's False
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", str(tmp_path / "names_api")],
        cwd=tmp_path / "names_api", capture_output=True, text=True, check=False,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr


@pytest.mark.usefixtures("fresh_modules")
def test_a_credential_or_http_client_of_the_wrong_kind_is_a_type_error_naming_it(tmp_path: Path) -> None:
    import httpx

    module = generate_client(tmp_path, MINI_SPEC, "kinds_api")
    with pytest.raises(TypeError, match=r"^api_key must be a str, not bytes\.$"):
        module.PetStore(api_key=b"s3cret", base_url="https://api.petstore.example")
    async_http = httpx.AsyncClient()
    with pytest.raises(TypeError, match=r"^http_client must be an httpx\.Client, not AsyncClient\.$"):
        module.PetStore(api_key="k", http_client=async_http)
    sync_http = httpx.Client()
    with pytest.raises(TypeError, match=r"^http_client must be an httpx\.AsyncClient, not Client\.$"):
        module.AsyncPetStore(api_key="k", http_client=sync_http)
    sync_http.close()


ACCOUNT_SPEC = MINI_SPEC.replace("models:\n", "models:\n  Account:\n    properties:\n      id: {type: string, required: true}\n") + """\
  account:
    operations:
      retrieve:
        summary: The account of the key
        method: GET
        path: /v1/account
        response: Account
  credential:
    operations:
      rotate:
        summary: Rotate the key (a resource named like the runtime's Credential)
        method: POST
        path: /v1/credential/rotate
"""


@pytest.mark.usefixtures("fresh_modules")
def test_a_resource_named_like_its_model_gets_resource_classes(tmp_path: Path, server: APIServer) -> None:
    # client.account.retrieve() -> Account: the model keeps its name, the resource class steps aside.
    module = generate_client(tmp_path, ACCOUNT_SPEC, "account_api")
    server.route("GET", "/v1/account", json={"id": "acc_1"})
    server.route("POST", "/v1/credential/rotate", status=204)
    with module.PetStore(api_key="k", base_url=server.url) as client:
        account = client.account.retrieve()
        assert client.credential.rotate() is None
        assert type(client.credential).__name__ == "CredentialResource"
    assert type(account) is module.Account and account.id == "acc_1"
    resources = importlib.import_module("account_api.resources.account")
    assert type(client.account) is resources.AccountResource
    assert {"AccountResource", "AsyncAccountResource"} <= set(vars(resources))
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
        cwd=tmp_path / "account_api", capture_output=True, text=True, check=False,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr


IMPORT_NAMES_SPEC = """\
title: Names API
description: Resources named like what their own module imports.
package: clash_api
client: Names
servers:
  default:
    url: https://api.names.example
auth:
  name: Authorization
  format: "Bearer {key}"
pagination:
  style: cursor
  cursor_param: cursor
  next_cursor: next
  items: items
models:
  Thing:
    properties:
      id: {type: string, required: true}
  Labels: {type: "string[]"}
resources:
  field:
    operations:
      retrieve: {summary: Get a field, method: GET, path: "/v1/fields/{id}", params: {id: {in: path, type: string, min_length: 1}}, response: Thing}
  pager:
    operations:
      list: {summary: List pagers, method: GET, path: /v1/pagers, paginate: true, params: {cursor: {in: query, type: string}}, response: Thing}
  resource:
    operations:
      tag:
        summary: Tag a resource
        method: POST
        path: "/v1/resources/{id}/tags"
        params: {id: {in: path, type: string}}
        body:
          properties:
            tags: {type: "string[]", max_length: 5, max_items: 2}
            scores: {type: "integer[]", maximum: 100}
            labels: {type: Labels, max_items: 2}
        response: Thing
"""


@pytest.mark.usefixtures("fresh_modules")
def test_resources_named_like_their_modules_imports_and_array_limits(tmp_path: Path, server: APIServer) -> None:
    # field, pager and resource would hide pydantic's Field, the Pager and AsyncResource classes.
    module = generate_client(tmp_path, IMPORT_NAMES_SPEC, "clash_api")
    server.route("GET", "/v1/fields/f1", json={"id": "f1"})
    server.route("GET", "/v1/pagers", json={"items": [{"id": "p1"}], "next": None})
    server.route("POST", "/v1/resources/r1/tags", json={"id": "r1"})
    with module.Names(api_key="k", base_url=server.url) as client:
        assert client.field.retrieve("f1").id == "f1"
        assert [thing.id for thing in client.pager.list()] == ["p1"]
        assert client.resource.tag(id="r1", tags=["alpha", "beta"], scores=[100]).id == "r1"
        # Limits on an array's value hold for each item; min_items/max_items for the array.
        for arguments, problem in [
            ({"tags": ["alpha", "beta", "gamma"]}, "tags: List should have at most 2 items"),
            ({"tags": ["toolong"]}, "tags.0: String should have at most 5 characters"),
            ({"scores": [50, 101]}, "scores.1: Input should be less than or equal to 100"),
            ({"labels": ["a", "b", "c"]}, "labels: List should have at most 2 items"),  # through the alias
        ]:
            with pytest.raises(ValueError, match=problem):
                client.resource.tag(id="r1", **arguments)
    assert type(client.field).__name__ == "FieldResource"
    assert [request.path for request in server.requests] == ["/v1/fields/f1", "/v1/pagers", "/v1/resources/r1/tags"]
    assert server.requests[-1].json() == {"tags": ["alpha", "beta"], "scores": [100]}
    for check, where in (
        (["mypy", "--strict", "clash_api"], tmp_path),
        (["ruff", "check", "--no-cache", "--output-format", "concise", "."], tmp_path / "clash_api"),
        # A resource of paginated lists only has an empty raw-response class: still fully typed.
        (["pyright", "--pythonpath", sys.executable, "--verifytypes", "clash_api", "--ignoreexternal"], tmp_path),
    ):
        # PYTHONPATH: where pyright --verifytypes looks. Without --outputjson, pyright's wrapper
        # would ask PyPI whether a newer release exists: tests reach no server of their own.
        env = {**os.environ, "PYTHONPATH": str(tmp_path), "PYRIGHT_PYTHON_IGNORE_WARNINGS": "1"}
        result = subprocess.run([sys.executable, "-m", *check], cwd=where, env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.usefixtures("fresh_modules")
def test_an_error_path_through_an_array_reads_its_first_error(tmp_path: Path, server: APIServer) -> None:
    spec = MINI_SPEC.replace("errors:\n  message: error.message\n  code: error.code", "errors:\n  message: errors.0.detail\n  code: errors.0.code")
    module = generate_client(tmp_path, spec, "jsonapi_api")
    server.route("GET", "/v1/pets/p1", status=404, json={"errors": [{"code": "not_found", "detail": "No pet p1"}, {"code": "other"}]})
    server.route("GET", "/v1/pets/p2", status=404, json={"errors": []})
    with module.PetStore(api_key="k", base_url=server.url) as client:
        with pytest.raises(module.NotFoundError) as first:
            client.pets.retrieve("p1")
        with pytest.raises(module.NotFoundError) as empty:
            client.pets.retrieve("p2")
    assert (first.value.code, first.value.message) == ("not_found", "No pet p1")
    assert (empty.value.code, empty.value.message) == (None, "Not Found")


@pytest.mark.usefixtures("fresh_modules")
@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")], ids=["nan", "inf", "-inf"])
def test_a_number_argument_that_json_cannot_hold_is_refused_by_name(tmp_path: Path, server: APIServer, value: float) -> None:
    # httpx 0.27 (which the packages allow) sends NaN as the invalid JSON token NaN; 0.28 refuses
    # it without naming the argument.
    spec = MINI_SPEC.replace("            from: {type: string}\n", "            from: {type: string}\n            weight: {type: number}\n")
    module = generate_client(tmp_path, spec, "nan_api")
    with module.PetStore(api_key="k", base_url=server.url) as client, pytest.raises(ValueError, match=r"^Pets\.create\(\): weight: "):
        client.pets.create(name="Rex", species="dog", weight=value)
    assert server.requests == []


@pytest.mark.usefixtures("fresh_modules")
def test_fields_named_like_pydantic_methods_import_without_a_warning(tmp_path: Path) -> None:
    # Under -W error (many pytest configurations) pydantic's protected-namespace warning was an
    # ImportError of the user's own test suite.
    spec = MINI_SPEC.replace(
        "      ownerToken: {type: string, secret: true}\n",
        "      ownerToken: {type: string, secret: true}\n      modelValidateMode: string\n      model_dump_style: string\n",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        generate_client(tmp_path, spec, "namespaced_api")
        models = importlib.import_module("namespaced_api.models")
        pet = models.Pet.model_validate({"id": "p1", "name": "Rex", "modelValidateMode": "strict", "model_dump_style": "json"})

    assert (pet.model_validate_mode_, pet.model_dump_style_) == ("strict", "json")
    assert pet.model_dump()["modelValidateMode"] == "strict"


UPLOADS = """\
      upload_photo:
        summary: Upload a photo of a pet
        method: POST
        path: /v1/pets/{pet_id}/photo
        params:
          pet_id: {in: path, type: string}
        body:
          encoding: multipart
          properties:
            caption: {type: string, required: true}
            tags: {type: "string[]"}
            photo: {type: file}
      rename:
        summary: Rename a pet
        method: POST
        path: /v1/pets/{pet_id}/name
        params:
          pet_id: {in: path, type: string}
        body:
          encoding: form
          properties:
            name: {type: string, required: true}
"""


@pytest.mark.usefixtures("fresh_modules")
def test_a_multipart_operation_called_without_its_file_is_still_multipart(tmp_path: Path, server: APIServer) -> None:
    # httpx sends fields without a file urlencoded; a server reading a multipart form (the
    # mock does) would find no fields in it.
    module = generate_client(tmp_path, MINI_SPEC + UPLOADS, "upload_api")
    server.route("POST", "/v1/pets/p1/photo", status=204)
    server.route("POST", "/v1/pets/p1/name", status=204)
    with module.PetStore(api_key="k", base_url=server.url) as client:
        client.pets.upload_photo("p1", caption="Rex & me", tags=["dog", "park"])
        client.pets.upload_photo("p1", caption="Rex", photo=("rex.png", b"\x89PNG", "image/png"))
        client.pets.rename("p1", name="Rex & co")
    without_file, with_file, form = server.requests
    assert multipart_fields(without_file) == [("caption", None, b"Rex & me"), ("tags", None, b"dog"), ("tags", None, b"park")]
    assert multipart_fields(with_file) == [("caption", None, b"Rex"), ("photo", "rex.png", b"\x89PNG")]
    assert form.header("Content-Type") == "application/x-www-form-urlencoded"
    assert form.body == b"name=Rex+%26+co"


def multipart_fields(request: Any) -> list[tuple[str, str | None, bytes]]:
    """(name, file name, content) of each part of a multipart/form-data body."""
    content_type = request.header("Content-Type") or ""
    assert content_type.startswith("multipart/form-data; boundary="), content_type
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + request.body)
    assert message.is_multipart()
    return [(part.get_param("name", header="content-disposition"), part.get_filename(), part.get_payload(decode=True)) for part in message.iter_parts()]
