"""Words the demo team's history is made of: people, companies, sources, reasons, notes."""

from __future__ import annotations

USERS = ("ann", "bob", "cara", "dan", "eve", "finn")
REPS = ("ann", "bob", "cara", "dan")
MARKETERS = ("eve", "finn")

FIRST = ("Jane", "Ola", "Kari", "Lukas", "Mia", "Noah", "Emma", "Jonas", "Sofia", "Liam",
         "Ingrid", "Felix", "Nora", "Elias", "Hanna", "Oskar", "Lea", "Aksel", "Marie", "Paul",
         "Sara", "David", "Anna", "Leon", "Frida", "Jakob", "Clara", "Henrik", "Ida", "Max")
LAST = ("Roe", "Nordmann", "Hansen", "Schmidt", "Berg", "Müller", "Larsen", "Fischer",
        "Johansen", "Weber", "Olsen", "Wagner", "Nilsen", "Becker", "Dahl", "Hoffmann",
        "Lie", "Schulz", "Haugen", "Koch", "Bakke", "Richter", "Moen", "Klein", "Strand")
COMPANY_ROOTS = ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Soylent",
                 "Tyrell", "Nakatomi", "Wonka", "Oscorp", "Monarch", "Bluth", "Aperture",
                 "Virtucon", "Nordlys", "Fjordkraft", "Bergmann", "Lindqvist", "Polaris",
                 "Brightside", "Kestrel", "Larkspur", "Halden", "Tindra", "Rheinwerk",
                 "Alpenglow", "Skagen", "Vesta", "Orbital", "Northwind", "Contoso", "Fabrikam",
                 "Litware", "Tailspin", "Wingtip", "Lucerne", "Margie", "Adatum", "Proseware")
COMPANY_KINDS = ("AS", "GmbH", "Ltd", "Inc", "Group", "Labs", "Logistics", "Health",
                 "Energy", "Retail", "Foods", "Systems")
DEAL_KINDS = ("pilot", "rollout", "renewal", "expansion", "platform", "annual plan",
              "team licences", "integration")

# source: (share of new leads, how much likelier than average it moves on, weekly spend range)
SOURCES = {
    "website": (0.30, 0.95, (300, 900)),
    "webinar": (0.20, 1.10, (500, 1500)),
    "linkedin": (0.20, 0.85, (800, 2500)),
    "referral": (0.10, 1.45, None),
    "event": (0.10, 1.15, (0, 4000)),
    "newsletter": (0.10, 0.80, (100, 300)),
}
STAGE_ODDS = (0.66, 0.60, 0.56)  # Awareness->Interest->Consideration->Engagement
CONVERT_ODDS = 0.65  # an engaged lead becomes a deal
DEAL_ODDS = (0.80, 0.78, 0.75, 0.72)  # Prospecting->...->Negotiation
LOSE_ODDS = 0.06  # a deal is lost on its way to the next stage
WIN_ODDS = 0.65  # a deal that reaches the end of Negotiation

DROP_REASONS = ("no budget", "not the right fit", "went with a competitor", "unresponsive",
                "student project", "too small")
LOST_REASONS = ("chose a competitor", "no budget this year", "went quiet", "price",
                "timing: next year", "built it in-house")
TAGS = ("q4", "enterprise", "smb", "renewal", "partner")
NOTES = ("Called {who}: demo went well, wants a proposal.",
         "{who} asked for references from their industry.",
         "Sent pricing; {who} is checking with finance.",
         "Met {who} and their CTO; security review next.",
         "{who} is comparing us with two others.",
         "Follow-up call with {who}: timeline confirmed.")
NEXT_ACTIONS = ("Send the proposal", "Book a demo with the team",
                "Answer the security questions", "Call back about pricing", "Send the contract",
                "Check in after their board meeting")
