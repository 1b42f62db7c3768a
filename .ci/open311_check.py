#!/usr/bin/env python3
"""Open311 GeoReport v2 conformance of a running server: every response validates against the JSON
Schemas in shared/conformance/open311-georeport-v2, and the `open311` client from PyPI lists services,
posts a request and reads it back. Prints `open311: N passed, M failed`; exit 1 on any failure.

usage: open311_check.py --base http://127.0.0.1:18080 --schemas DIR --api-key KEY
"""
import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

passed, failed = 0, []


def check(ok: bool, what: str) -> None:
    global passed
    if ok:
        passed += 1
        print(f"  ok  {what}", flush=True)
    else:
        failed.append(what)
        print(f"  FAIL {what}", flush=True)


def fetch(url: str, data: dict | None = None) -> tuple[int, bytes]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def schema_checks(base: str, schemas: Path, api_key: str) -> str | None:
    registry = Registry()
    for file in schemas.glob("*.json"):
        if file.name != "swagger.json":
            resource = Resource.from_contents(json.loads(file.read_text()), default_specification=DRAFT4)
            registry = registry.with_resource(file.name, resource)

    def validate(instance, schema_file: str, what: str) -> None:
        schema = json.loads((schemas / schema_file).read_text())
        validator = jsonschema.Draft4Validator(schema, registry=registry)
        errors = [e.message for e in validator.iter_errors(instance)]
        check(not errors, f"{what} validates against {schema_file}" + (f": {errors[:3]}" if errors else ""))

    status, body = fetch(f"{base}/open311/v2/services.json")
    services = json.loads(body)
    check(status == 200 and len(services) > 0, f"GET services.json → {status}, {len(services)} services")
    validate(services, "services.json", "services.json")
    code = services[0]["service_code"]
    status, body = fetch(f"{base}/open311/v2/services/{code}.json")
    validate(json.loads(body), "service-definition.json", f"services/{code}.json")

    status, body = fetch(f"{base}/open311/v2/requests.json", {
        "api_key": api_key, "service_code": code, "description": "CI 检查：企业开办网上申报无法上传营业执照照片",
        "first_name": "明", "last_name": "李", "phone": "13900001111"})
    posted = json.loads(body)
    check(status in (200, 201) and posted and posted[0].get("service_request_id"), f"POST requests.json → {status} {posted}")
    request_id = posted[0]["service_request_id"]
    status, body = fetch(f"{base}/open311/v2/requests/{request_id}.json")
    one = json.loads(body)
    validate(one, "requests.json", f"requests/{request_id}.json")
    check(one and one[0]["service_request_id"] == request_id and one[0]["status"] == "open", "the posted request reads back as open")
    status, body = fetch(f"{base}/open311/v2/requests.json?status=closed")
    validate(json.loads(body), "requests.json", "requests.json?status=closed")
    for item in json.loads(body)[:20]:
        validate(item, "request.json", f"request {item['service_request_id']}")
    status, body = fetch(f"{base}/open311/v2/requests.json", {"api_key": "forged", "service_code": code, "description": "x"})
    error = json.loads(body)
    check(status == 403 and error[0]["code"] == 403 and error[0]["description"], f"a forged api_key → {status} {error}")
    status, body = fetch(f"{base}/open311/v2/requests/NOPE-1.json")
    check(status == 404 and json.loads(body)[0]["code"] == 404, f"an unknown request → {status}")
    status, body = fetch(f"{base}/open311/v2/requests.json", {"api_key": api_key, "service_code": code, "description": ""})
    check(status == 400 and json.loads(body)[0]["code"] == 400, f"a request without a description → {status}")
    status, body = fetch(f"{base}/open311/v2/requests.xml?service_request_id={request_id}")
    check(status == 200 and body.startswith(b"<?xml") and request_id.encode() in body, "requests.xml answers in XML")
    return request_id


def client_checks(base: str, api_key: str) -> None:
    """The `open311` package from PyPI is written for Python 2: load its modules by path, and give its
    `urlopen` bytes for POST bodies."""
    import importlib.util
    import types
    folder = os.path.dirname(importlib.util.find_spec("open311").origin)
    api_folder = os.path.join(folder, "api")
    sys.path[:0] = [api_folder, os.path.join(api_folder, "xml2dict")]  # its xml2dict package and object_dict
    package = types.ModuleType("api")
    package.__path__ = [api_folder]
    sys.modules["api"] = package

    def load(name: str, path: str):
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module

    # Its XML reader calls Element.getchildren(), gone since Python 3.9: give it elements that have it.
    import xml.etree.ElementTree as ElementTree

    class Element(ElementTree._Element_Py):  # type: ignore[misc, name-defined]
        def getchildren(self):
            return list(self)

    class LegacyElementTree:
        def __getattr__(self, name):
            return getattr(ElementTree, name)

        @staticmethod
        def fromstring(text):
            parser = ElementTree.XMLParser(target=ElementTree.TreeBuilder(element_factory=Element))
            parser.feed(text)
            return parser.close()

    xml2dict = load("xml2dict.xml2dict", os.path.join(api_folder, "xml2dict", "xml2dict.py"))
    xml2dict.ET = LegacyElementTree()
    inner = load("api.api", os.path.join(api_folder, "api.py"))
    package.API, package.api = inner.API, inner
    original = inner.urlopen
    inner.urlopen = lambda url, data=None: original(url, data.encode() if isinstance(data, str) else data)
    module = load("open311_client", os.path.join(folder, "open311.py"))
    module.urlopen = inner.urlopen
    Open311 = module.Open311
    client = Open311(endpoint=f"{base}/open311/v2", format="xml", api_key=api_key)
    services = client.service_list()
    check(len(services) > 0, f"open311 client lists {len(services)} services")
    code = services[0]["service_code"]
    posted = client.post_service_request(service_code=code, description="CI 检查：通过 open311 客户端提交的诉求",
                                         phone="13900002222", first_name="芳", last_name="刘")
    request = posted["service_requests"]["request"]
    request_id = request["service_request_id"]
    check(bool(request_id), f"open311 client posts a request → {request_id}")
    read = client.get_service_request(request_id)["service_requests"]["request"]
    check(read["service_request_id"] == request_id, f"open311 client reads {request_id} back")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--schemas", required=True, type=Path)
    parser.add_argument("--api-key", required=True)
    args = parser.parse_args()
    try:
        schema_checks(args.base, args.schemas, args.api_key)
    except Exception as error:  # noqa: BLE001 — a crash is a failure to report, not to hide
        check(False, f"schema checks stopped: {error!r}")
    try:
        client_checks(args.base, args.api_key)
    except Exception as error:  # noqa: BLE001
        check(False, f"open311 client checks stopped: {error!r}")
    print(f"open311: {passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
