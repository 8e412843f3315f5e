"""A store shared by a team on one server: new folders and files stay writable by the group.

A team shares a store by giving it a group and making its root setgid and group-writable
(``chgrp team annotations; chmod 2775 annotations``). Linux then gives every new entry the
root's group, but the permission bits still come from each user's umask: with the usual
022 the first user's new document folder is ``drwxr-sr-x``, and nobody else can save in
it. So a folder or file biaozhu creates inside a setgid, group-writable folder gets that
folder's group bits added (a folder also keeps the setgid bit), whatever the umask.
Elsewhere the umask alone decides, as for any file the user creates.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["group_bits", "share_file", "share_folder"]

_FILE_BITS = stat.S_IRGRP | stat.S_IWGRP  # never the execute bit on a data file


def group_bits(folder: Path | str) -> int:
    """The group permission bits new entries of ``folder`` should carry: the folder's own
    when it is setgid and group-writable (a team's shared store), else 0."""
    try:
        mode = os.stat(folder).st_mode
    except OSError:
        return 0
    if mode & stat.S_ISGID and mode & stat.S_IWGRP:
        return mode & stat.S_IRWXG
    return 0


def share_folder(path: Path) -> None:
    """Give the new folder ``path`` the group bits of its parent (see :func:`group_bits`).

    Best effort: a folder we cannot change (another user's) is left as it is.
    """
    bits = group_bits(path.parent)
    if bits:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
            if mode & bits != bits:
                os.chmod(path, mode | bits | stat.S_ISGID)
        except OSError:
            pass


def share_file(fd: int, folder: Path | str) -> None:
    """Give the file open on ``fd`` in ``folder`` the folder's group read and write bits
    (see :func:`group_bits`). Best effort, like :func:`share_folder`."""
    bits = group_bits(folder) & _FILE_BITS
    if bits:
        try:
            mode = stat.S_IMODE(os.fstat(fd).st_mode)
            if mode & bits != bits:
                os.fchmod(fd, mode | bits)
        except OSError:
            pass
