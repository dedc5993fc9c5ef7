"""The bucket, through boto3: the one place that talks S3 and turns botocore's errors into ours.

Credentials and region come only from boto3's own chain (environment, shared files, ``--profile``); they
are never read from show.toml and never printed. Every call stays inside the prefix: the listing asks for
the prefix with a ``/`` delimiter, and every key is the prefix plus a checked file name.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from yomicast.errors import PublishError
from yomicast.publish.plan import RECORD, LocalFile, RecordEntry, RemoteObject, parse_record, record_json

MULTIPART_BYTES = 8 << 20  # files from this size go up in parts of this size
RECORD_MAX_BYTES = 16 << 20


class Bucket:
    def __init__(self, client: Any, bucket: str, prefix: str, where: str) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.where = where  # s3://bucket/prefix, for messages

    def key(self, name: str) -> str:
        return self.prefix + name

    def objects(self) -> dict[str, RemoteObject]:
        """The objects directly under the prefix (not in deeper folders: those are not the show's)."""
        out = {}
        with self._errors("list"):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix, Delimiter="/"
            )
            for page in pages:
                for obj in page.get("Contents", ()):
                    name = obj["Key"][len(self.prefix) :]
                    if obj["Key"].startswith(self.prefix) and name and "/" not in name:
                        out[name] = RemoteObject(int(obj["Size"]), str(obj.get("ETag", "")).strip('"'))
        return out

    def read_record(self, remote: dict[str, RemoteObject]) -> dict[str, RecordEntry]:
        if RECORD not in remote or remote[RECORD].size > RECORD_MAX_BYTES:
            return {}
        with self._errors("read"):
            body = self.client.get_object(Bucket=self.bucket, Key=self.key(RECORD))["Body"].read()
        try:
            return parse_record(json.loads(body))
        except (ValueError, UnicodeDecodeError):
            return {}

    def write_record(self, record: dict[str, RecordEntry]) -> None:
        body = json.dumps(record_json(record), ensure_ascii=False, indent=1).encode("utf-8")
        with self._errors("write"):
            self.client.put_object(
                Bucket=self.bucket,
                Key=self.key(RECORD),
                Body=body,
                ContentType="application/json",
                CacheControl="no-store",
            )

    def upload(self, f: LocalFile) -> str:
        """Put one file (in parts when large) with its headers; the ETag it got, once its size is checked."""
        from boto3.s3.transfer import TransferConfig

        config = TransferConfig(
            multipart_threshold=MULTIPART_BYTES, multipart_chunksize=MULTIPART_BYTES, max_concurrency=4
        )
        extra = {"ContentType": f.content_type, "CacheControl": f.cache_control}
        with self._errors("upload", f.name):
            self.client.upload_file(
                str(f.path), self.bucket, self.key(f.name), ExtraArgs=extra, Config=config
            )
            head = self.client.head_object(Bucket=self.bucket, Key=self.key(f.name))
        if int(head["ContentLength"]) != f.size:
            raise PublishError(
                f"{self.where}{f.name}: the bucket holds {head['ContentLength']} bytes after the upload, "
                f"not {f.size}; nothing was deleted, publish again"
            )
        return str(head.get("ETag", "")).strip('"')

    def delete(self, names: list[str]) -> None:
        for start in range(0, len(names), 1000):  # DeleteObjects takes 1,000 keys a call
            batch = names[start : start + 1000]
            with self._errors("delete"):
                answer = self.client.delete_objects(
                    Bucket=self.bucket,
                    Delete={"Objects": [{"Key": self.key(n)} for n in batch], "Quiet": True},
                )
            if answer.get("Errors"):
                err = answer["Errors"][0]
                raise PublishError(f"{self.where}: cannot delete {err.get('Key')}: {err.get('Code')}")

    @contextmanager
    def _errors(self, doing: str, name: str = "") -> Iterator[None]:
        """botocore's and boto3's exceptions, as one line that says what to do."""
        from boto3.exceptions import S3UploadFailedError
        from botocore.exceptions import (
            BotoCoreError,
            ClientError,
            ConnectTimeoutError,
            EndpointConnectionError,
            NoCredentialsError,
            PartialCredentialsError,
            ReadTimeoutError,
        )

        what = f"{self.where}{name}"
        try:
            yield
        except (NoCredentialsError, PartialCredentialsError):
            raise PublishError(
                f"{what}: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a profile "
                "from ~/.aws/credentials with --profile"
            ) from None
        except (EndpointConnectionError, ConnectTimeoutError) as exc:
            raise PublishError(f"{what}: cannot reach the endpoint ({_origin(exc)})") from None
        except ReadTimeoutError:
            raise PublishError(
                f"{what}: the endpoint stopped answering during {doing}; publish again"
            ) from None
        except (ClientError, S3UploadFailedError) as exc:
            raise PublishError(f"{what}: {doing} refused: {_client_reason(exc)}") from None
        except BotoCoreError as exc:
            raise PublishError(f"{what}: {doing} failed: {exc}") from None


def _origin(exc: Exception) -> str:
    """scheme://host:port of the URL botocore could not reach, without the request's path and query."""
    url = str(getattr(exc, "kwargs", {}).get("endpoint_url", ""))
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else (url or str(exc))


def _client_reason(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if response is None and exc.__context__ is not None:  # S3UploadFailedError wraps the ClientError
        response = getattr(exc.__context__, "response", None)
    if not isinstance(response, dict):
        return str(exc).splitlines()[0][:300]
    error = response.get("Error", {})
    code = str(error.get("Code", "")) or str(response.get("ResponseMetadata", {}).get("HTTPStatusCode", ""))
    hints = {
        "InvalidAccessKeyId": "the access key is not known there; check AWS_ACCESS_KEY_ID or the profile",
        "SignatureDoesNotMatch": "the secret key does not match; check AWS_SECRET_ACCESS_KEY or the profile",
        "AccessDenied": "access denied; the key needs list, get, put and delete on the prefix",
        "NoSuchBucket": "no such bucket; create it first, or check the name in --to",
        "404": "no such bucket; create it first, or check the name in --to",
        "403": "access denied; check the credentials and the key's permissions",
    }
    return hints.get(code, f"{code} {str(error.get('Message', ''))[:200]}".strip())


def make_client(endpoint_url: str | None, profile: str | None, connect_timeout: float = 10) -> Any:
    """An S3 client from boto3's usual chain. With an endpoint (R2, B2, MinIO …) paths are path-style, and
    checksums are sent only where S3 requires them, which every S3-compatible host accepts."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError

    try:
        session = boto3.session.Session(profile_name=profile)
        return session.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=session.region_name or "us-east-1",
            config=Config(
                s3={"addressing_style": "path" if endpoint_url else "auto"},
                connect_timeout=connect_timeout,
                read_timeout=60,
                retries={"max_attempts": 3, "mode": "standard"},
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                user_agent_extra="yomicast",
            ),
        )
    except BotoCoreError as exc:  # ProfileNotFound, a broken config file
        raise PublishError(f"cannot set up S3: {exc}") from None
