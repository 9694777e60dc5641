"""Rule packs: TOML files that select rules, override severities and set options.

A pack (``rules/default.toml``):

    [pack]
    name = "default"
    extends = ""            # another pack's name, merged first
    [settings]
    alpha = 0.05
    rounding = "up_or_down"
    select = ["ALL"]        # codes or prefixes ("PCT", "PCT00"); "ALL" selects everything
    ignore = []
    [rules.PCT004]
    severity = "warning"
    min_impossible = 3

For a rule code, the longest matching prefix among ``select`` and ``ignore`` decides; on a tie,
ignore wins. Unknown keys, rule codes, severities or option types are configuration errors.
"""
from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .checks import ALL_RULES
from .findings import SEVERITIES
from .numeric.rounding import METHODS


class ConfigError(ValueError):
    pass


@dataclass
class Config:
    name: str = "default"
    alpha: float = 0.05
    rounding: str = "up_or_down"
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)

    def enabled(self, code: str) -> bool:
        best_len, best = -1, False
        for prefix in self.select:
            p = "" if prefix.upper() == "ALL" else prefix.upper()
            if code.startswith(p) and len(p) > best_len:
                best_len, best = len(p), True
        for prefix in self.ignore:
            p = "" if prefix.upper() == "ALL" else prefix.upper()
            if code.startswith(p) and len(p) >= best_len:
                best_len, best = len(p), False
        return best

    def rule_options(self, code: str) -> dict[str, Any]:
        merged = dict(ALL_RULES[code].options)
        merged.update(self.options.get(code, {}))
        return merged

    def fingerprint(self) -> str:
        blob = json.dumps({"alpha": self.alpha, "rounding": self.rounding, "select": self.select, "ignore": self.ignore,
                           "severity": self.severity, "options": self.options}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def packs_dir() -> Path:
    """Packs ship inside the wheel as integrity_check/rules; in a source checkout they are ./rules."""
    shipped = resources.files("integrity_check") / "rules"
    if shipped.is_dir():
        return Path(str(shipped))
    return Path(__file__).resolve().parent.parent / "rules"


def available_packs() -> list[str]:
    return sorted(p.stem for p in packs_dir().glob("*.toml"))


def load_config(pack: str | Path = "default", select: list[str] | None = None, ignore: list[str] | None = None) -> Config:
    cfg = Config()
    _apply_pack(cfg, pack, seen=set())
    if select:
        cfg.select = [s.strip().upper() for s in select if s.strip()]
    if ignore:
        cfg.ignore = cfg.ignore + [s.strip().upper() for s in ignore if s.strip()]
    for prefix in cfg.select + cfg.ignore:
        if prefix != "ALL" and not any(code.startswith(prefix) for code in ALL_RULES):
            raise ConfigError(f"no rule code starts with {prefix!r}")
    return cfg


def _resolve(pack: str | Path) -> Path:
    p = Path(pack)
    if p.suffix == ".toml" or p.exists():
        if not p.is_file():
            raise ConfigError(f"rule pack {str(pack)!r} not found")
        return p
    candidate = packs_dir() / f"{pack}.toml"
    if not candidate.is_file():
        raise ConfigError(f"unknown rule pack {str(pack)!r} (available: {', '.join(available_packs())})")
    return candidate


def _apply_pack(cfg: Config, pack, seen: set) -> None:
    path = _resolve(pack)
    if path in seen:
        raise ConfigError(f"rule pack {path.name} extends itself")
    seen.add(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path.name}: not valid TOML ({exc})") from None
    unknown = set(data) - {"pack", "settings", "rules"}
    if unknown:
        raise ConfigError(f"{path.name}: unknown section(s) {sorted(unknown)}")
    meta = data.get("pack", {})
    if meta.get("extends"):
        _apply_pack(cfg, meta["extends"], seen)
    cfg.name = meta.get("name", path.stem)
    settings = data.get("settings", {})
    for key, value in settings.items():
        if key == "alpha":
            if not isinstance(value, (int, float)) or not 0 < value < 1:
                raise ConfigError(f"{path.name}: alpha must be a number between 0 and 1")
            cfg.alpha = float(value)
        elif key == "rounding":
            if value not in METHODS:
                raise ConfigError(f"{path.name}: rounding must be one of {', '.join(METHODS)}")
            cfg.rounding = value
        elif key in ("select", "ignore"):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path.name}: {key} must be a list of codes or prefixes")
            setattr(cfg, key, [v.upper() for v in value])
        else:
            raise ConfigError(f"{path.name}: unknown setting {key!r}")
    for code, body in data.get("rules", {}).items():
        if code not in ALL_RULES:
            raise ConfigError(f"{path.name}: unknown rule {code!r}")
        if not isinstance(body, dict):
            raise ConfigError(f"{path.name}: [rules.{code}] must be a table")
        defaults = ALL_RULES[code].options
        for key, value in body.items():
            if key == "severity":
                if value not in SEVERITIES:
                    raise ConfigError(f"{path.name}: {code}.severity must be one of {', '.join(SEVERITIES)}")
                cfg.severity[code] = value
            elif key == "enabled":
                if not isinstance(value, bool):
                    raise ConfigError(f"{path.name}: {code}.enabled must be true or false")
                if not value:
                    cfg.ignore.append(code)
            elif key not in defaults:
                raise ConfigError(f"{path.name}: rule {code} has no option {key!r} (options: {', '.join(defaults) or 'none'})")
            elif type(value) is not type(defaults[key]) and not (isinstance(defaults[key], float) and isinstance(value, int)):
                raise ConfigError(f"{path.name}: {code}.{key} must be {type(defaults[key]).__name__}")
            else:
                cfg.options.setdefault(code, {})[key] = value
