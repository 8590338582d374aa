"""DATA_DIR: this install's own files (the SQLite database, the generated secret key, static
files, uploads).  The entry points (manage.py, asgi.py) prepare it; reading the settings
writes nothing."""

import os
import secrets
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY_FILE = "secret_key"  # noqa: S105  (a file name)


def env_secret(name: str, default: str = "") -> str:
    """A secret setting: NAME from the environment, else the contents of the file named by
    NAME_FILE (systemd credentials, container secrets; one trailing newline dropped), else
    `default`.  A NAME_FILE that cannot be read stops the start."""
    if value := os.environ.get(name):
        return value
    if path := os.environ.get(f"{name}_FILE"):
        try:
            text = Path(path).read_text()
        except OSError as error:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(f"{name}_FILE={path!r}: {error.strerror}.") from None
        return text.removesuffix("\n").removesuffix("\r")
    return default


def data_dir() -> Path:
    return Path(os.environ.get("DATA_DIR") or PROJECT_DIR / "data").resolve()


def prepare() -> None:
    """Make DATA_DIR and, without SECRET_KEY in the environment, a secret key kept in it
    (once: several processes starting at the same time end up with the same key)."""
    folder = data_dir()
    for path in (folder, folder / "static", folder / "media"):
        path.mkdir(parents=True, exist_ok=True)
    key = folder / SECRET_KEY_FILE
    if env_secret("SECRET_KEY") or key.exists():
        return
    draft = folder / f".{SECRET_KEY_FILE}.{os.getpid()}"
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_urlsafe(50))
    try:
        os.link(draft, key)  # appears whole, or not at all when another process was first
    except FileExistsError:
        pass
    finally:
        draft.unlink()


def secret_key() -> str:
    """SECRET_KEY (or SECRET_KEY_FILE) from the environment, else the one prepare() kept;
    without either (a test run, a tool that only imports the settings) a key for this
    process only."""
    if key := env_secret("SECRET_KEY"):
        return key
    path = data_dir() / SECRET_KEY_FILE
    if path.exists():
        return path.read_text().strip()
    return secrets.token_urlsafe(50)
