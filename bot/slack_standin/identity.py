"""Who the stand-in says everyone is: the app, its bot user, the legacy token, and the
local workspace the console (and its demo data) plays in."""

from __future__ import annotations

APP_ID = "A1"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_DOMAIN = "acme"
VERIFICATION_TOKEN = "legacy-verification-token"
DEFAULT_TRIGGER_ID = "13345224609.738474920.8088930838d88f008e0"

# The console's workspace: its demo team lives here, and the console acts in it.
LOCAL_TEAM = "T0CONSOLE"
