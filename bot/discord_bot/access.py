"""Who may run the admin commands: the configured role, or anyone who can manage the server.

Discord already computed the member's permissions in the interaction payload, so no extra intent
or API call is needed. The role may be given by name or by id (ids survive renames).
"""

from __future__ import annotations

import discord


def is_admin(user: discord.abc.User, permissions: discord.Permissions, admin_role: str) -> bool:
    """True for members with ``admin_role`` or Manage Server; never for direct messages."""
    if not isinstance(user, discord.Member):
        return False
    if permissions.manage_guild or permissions.administrator:
        return True
    wanted = admin_role.strip()
    if not wanted:
        return False
    return any(role.name == wanted or str(role.id) == wanted for role in user.roles)


def refusal_text(admin_role: str) -> str:
    who = f"the **{admin_role}** role or " if admin_role.strip() else ""
    return f"🔒 Only members with {who}the Manage Server permission can use `/newsbot`."
