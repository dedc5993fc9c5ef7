"""How a show.toml table becomes a settings dataclass: fields by name, values by their annotated type, then
the class's own checks (``FieldError`` names the key)."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, TypeVar

from yomicast.errors import ConfigError

T = TypeVar("T")


def fits(value: Any, hint: Any) -> bool:
    """Whether a value from show.toml is of the annotated type: ints are not bools, a float takes an
    int, a path takes a string, a sequence is a list of its kind."""
    import collections.abc
    import os
    import types

    origin = typing.get_origin(hint)
    if hint is Any:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(fits(value, h) for h in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    if origin in (collections.abc.Sequence, list, tuple):
        args = typing.get_args(hint)
        return isinstance(value, list | tuple) and all(fits(v, args[0]) for v in value) if args else True
    if isinstance(hint, type) and issubclass(hint, os.PathLike):
        return isinstance(value, str | os.PathLike)
    if origin is dict or hint is dict:
        return isinstance(value, dict)
    return True  # a kind this check does not know: whoever takes the value checks it


def describe(hint: Any) -> str:
    """The annotated type in words, for an error: "a number", "a string or a list of strings"."""
    import types

    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        parts = [describe(h) for h in typing.get_args(hint) if h is not type(None)]
        return " or ".join(dict.fromkeys(parts))
    if typing.get_origin(hint) is not None:
        args = typing.get_args(hint)
        plural = {str: "strings", int: "whole numbers", float: "numbers"}
        return f"a list of {plural.get(args[0], 'values')}" if args else "a list"
    return {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}.get(
        hint,
        "a file path" if getattr(hint, "__name__", "") == "Path" else f"a {getattr(hint, '__name__', hint)}",
    )


#: the metadata of a list field that also takes one string as a list of one
ONE_OR_MANY = {"one_or_many": True}


def setting(
    default: Any = dataclasses.MISSING,
    doc: str = "",
    *,
    shown: str | None = None,
    one_or_many: bool = False,
    between: tuple[float, float] | None = None,
    unit: str = "",
) -> Any:
    """A show.toml field: its default, what it means, and how the default is shown where the value alone
    would not say it (``shown``); ``one_or_many``: a list that also takes one string as a list of one;
    ``between``: the range its value must lie in (in ``unit``), held by ``check_ranges``. The README's table
    of settings is made from these (``reference_rows``)."""
    meta = {
        "doc": doc,
        "shown": shown,
        "between": between,
        "unit": unit,
        **(ONE_OR_MANY if one_or_many else {}),
    }
    return dataclasses.field(default=default, metadata=meta)


def check_ranges(table: object) -> None:
    """Each field of ``table`` with a ``between`` within it (NaN is in no range; None, an unset optional
    value, is left alone): else ``FieldError`` naming the field."""
    for f in dataclasses.fields(table):  # type: ignore[arg-type]
        between, value = f.metadata.get("between"), getattr(table, f.name)
        if between is None or value is None:
            continue
        low, high = between
        if not low <= value <= high:
            raise FieldError(f.name, f"must be between {low:g} and {high:g}{_unit(f)}, not {value}")


def _unit(f: dataclasses.Field[Any]) -> str:
    return f" {f.metadata['unit']}" if f.metadata.get("unit") else ""


def shown_default(f: dataclasses.Field[Any]) -> str:
    """A field's default as the README shows it: ``shown``, or the value in TOML's words."""
    if f.metadata.get("shown"):
        return str(f.metadata["shown"])
    value = f.default
    if value is None or value == ():
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        return f"`{value}`"
    if isinstance(value, tuple):
        return ", ".join(f"`{v}`" for v in value)
    return str(value)


def reference_rows(cls: type, name: str) -> list[str]:
    """The README's rows of one table: ``| `table.key` | meaning (range) | default |``, in the class's
    order."""
    rows = []
    for f in dataclasses.fields(cls):
        between = f.metadata.get("between")
        limits = f" ({between[0]:g} to {between[1]:g}{_unit(f)})" if between else ""
        rows.append(f"| `{name}.{f.name}` | {f.metadata.get('doc', '')}{limits} | {shown_default(f)} |")
    return rows


class FieldError(ConfigError):
    """A value of one field out of its range, raised by a settings table's own checks: the error names
    ``[table.key]``."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key} {message}")  # read alone (a table made in code), it names the field
        self.key, self.message = key, message


def table_from(cls: type[T], table: object, where: str) -> T:
    """A settings dataclass from one show.toml table: unknown fields and wrong types are named, then the
    class checks its own values. The accepted fields and types are the dataclass's own."""
    if not isinstance(table, dict):
        raise ConfigError(f"[{where}]: must be a table")
    hints = typing.get_type_hints(cls)
    meta = {f.name: f.metadata for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    fields = list(meta)
    values = dict(table)
    for key, value in table.items():
        if key not in fields:
            raise ConfigError(f"[{where}.{key}]: unknown field; expected one of: {', '.join(fields)}")
        if typing.get_origin(hints[key]) is tuple:  # a list of strings (where ONE_OR_MANY: or one string)
            one_or_many = meta[key].get("one_or_many")
            items = [value] if isinstance(value, str) and one_or_many else value
            if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
                raise ConfigError(f"[{where}.{key}]: must be a list of strings, not {value!r}")
            values[key] = tuple(items)
            continue
        if not fits(value, hints[key]):
            raise ConfigError(f"[{where}.{key}]: must be {describe(hints[key])}, not {value!r}")
    try:
        return cls(**values)
    except FieldError as exc:
        raise ConfigError(f"[{where}.{exc.key}]: {exc.message}") from None
    except ConfigError as exc:
        raise ConfigError(f"[{where}]: {exc}") from None
