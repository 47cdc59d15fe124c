"""A private Dovecot (Debian's ``dovecot-imapd``) for the IMAP poller tests.

The server runs as a subprocess (``dovecot -F -c <dir>/dovecot.conf``) on 127.0.0.1 at a free
port, with everything (config, sockets, state, log, Maildirs) in one temporary directory.
Any user name logs in with ``PASSWORD`` (a static passdb), so each test takes fresh user names
and starts with empty mailboxes on a server shared by the whole module.

Running as root: Dovecot refuses root for its login processes and for mail, so those run as
Debian's ``dovenull`` and ``dovecot`` users and the directory is made traversable for them.
Running as anyone else: every Dovecot process runs as that user (a "rootless" Dovecot).
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from imapclient import IMAPClient

PASSWORD = "dovecot-test-password"
START_TIMEOUT_SECONDS = 15


def dovecot_binary() -> str | None:
    # Debian installs it in /usr/sbin, which is not on every user's PATH.
    return shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin:/usr/local/sbin")


def require_dovecot(require_services: bool) -> str:
    binary = dovecot_binary()
    if binary is None:
        message = "dovecot is not installed (Debian: apt-get install dovecot-imapd)"
        if require_services:
            pytest.fail(message + "; CI / POSTDESK_REQUIRE_SERVICES needs it", pytrace=False)
        pytest.skip(message)
    return binary


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _users() -> tuple[str, str, pwd.struct_passwd]:
    """(login user, internal user, owner of the mail) for this process's privileges."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid())
        return me.pw_name, me.pw_name, me
    try:
        return "dovenull", "dovecot", pwd.getpwnam("dovecot")
    except KeyError:  # the package creates both users; without them it is not installed right
        pytest.fail("running as root needs the dovecot and dovenull users of dovecot-core")


CONFIG = """\
protocols = imap
listen = 127.0.0.1
instance_name = postdesk-test-{port}
base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# Dovecot delays a failed login, and every later login from the same address (the auth
# penalty, kept by anvil); the wrong-password test need not wait for either.
auth_failure_delay = 0
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
first_valid_uid = 1
mail_location = maildir:{dir}/mail/%u
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={dir}/mail/%u
}}
# No chroot: only root may chroot, and this server runs as whoever runs the tests.
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


class Dovecot:
    def __init__(self, binary: str):
        self.binary = binary
        self.host = "127.0.0.1"
        self.port = 0
        # Not pytest's tmp_path: Unix socket paths must stay short, and Dovecot's unprivileged
        # processes must be able to traverse the directory.
        self.dir = Path(tempfile.mkdtemp(prefix="postdesk-dovecot-"))
        self.dir.chmod(0o755)
        self.process: subprocess.Popen | None = None

    @property
    def log(self) -> str:
        path = self.dir / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def start(self) -> None:
        """Start Dovecot and wait for its greeting; on failure, clean up and say why."""
        login_user, internal_user, mail_owner = _users()
        (self.dir / "mail").mkdir()
        os.chown(self.dir / "mail", mail_owner.pw_uid, mail_owner.pw_gid)
        try:
            # The free port is free when probed; another process may take it before Dovecot
            # binds it, so a lost race gets another port.
            for _attempt in range(3):
                if self._start_once(login_user, internal_user, mail_owner):
                    return
            raise RuntimeError(f"dovecot could not bind a port:\n{self._output()}")
        except BaseException:
            self.stop()
            raise

    def _output(self) -> str:
        path = self.dir / "stderr.log"
        return (path.read_text(errors="replace") if path.exists() else "") + "\n" + self.log

    def _start_once(self, login_user: str, internal_user: str, mail_owner) -> bool:
        self.port = _free_port()
        config = CONFIG.format(
            dir=self.dir, port=self.port, login_user=login_user, internal_user=internal_user,
            internal_group=grp.getgrgid(pwd.getpwnam(internal_user).pw_gid).gr_name,
            password=PASSWORD, mail_uid=mail_owner.pw_uid, mail_gid=mail_owner.pw_gid,
        )
        (self.dir / "dovecot.conf").write_text(config)
        (self.dir / "dovecot.log").write_text("")  # only this attempt's lines
        with open(self.dir / "stderr.log", "wb") as output:
            self.process = subprocess.Popen(
                [self.binary, "-F", "-c", str(self.dir / "dovecot.conf")],
                stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if "Address already in use" in self._output():
                    return False
                raise RuntimeError(f"dovecot exited with {self.process.returncode}:\n"
                                   f"{self._output()}")
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5) as connection:
                    connection.settimeout(2)
                    if connection.recv(100).startswith(b"* OK"):
                        return True
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"dovecot did not answer on port {self.port} within "
                           f"{START_TIMEOUT_SECONDS} s:\n{self._output()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    # --- what the tests do as the "other side": a mail client of the same user

    @staticmethod
    def new_user(prefix: str = "desk") -> str:
        return f"{prefix}-{uuid.uuid4().hex[:8]}"

    def client(self, user: str) -> IMAPClient:
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        client.login(user, PASSWORD)
        return client

    def append(self, user: str, *messages: bytes, folder: str = "INBOX") -> None:
        client = self.client(user)
        try:
            for raw in messages:
                client.append(folder, raw)
        finally:
            client.logout()

    def folder(self, user: str, folder: str) -> dict[int, tuple[bytes, tuple[bytes, ...]]]:
        """UID -> (raw message, flags) of one folder; empty if the folder does not exist."""
        client = self.client(user)
        try:
            if not client.folder_exists(folder):
                return {}
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            fetched = client.fetch(uids, ["BODY.PEEK[]", "FLAGS"]) if uids else {}
            return {uid: (data[b"BODY[]"], data[b"FLAGS"]) for uid, data in fetched.items()}
        finally:
            client.logout()
