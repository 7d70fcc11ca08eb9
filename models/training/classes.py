"""Nucleus classes the training data support, and how each source maps to them.

Channel 0 of the nt output is background. No source labels dead cells, so no
"dead" channel exists. PanNuke-demo "not neoplastic" merges four PanNuke
classes and cannot be mapped to one channel: its pixels are ignored by the nt
loss but still train np and hv.
"""

IGNORE = 255

NUCLEUS_CLASSES = [
    {"index": 1, "name": "inflammatory", "pannuke": ["Inflammatory"], "color": "#1f77ff"},
    {"index": 2, "name": "connective", "pannuke": ["Connective"], "color": "#2ca02c"},
    {
        "index": 3,
        "name": "epithelial-or-neoplastic",
        "pannuke": ["Neoplastic", "Epithelial"],
        "color": "#e3171e",
    },
    {"index": 4, "name": "other", "pannuke": [], "color": "#f5b800"},
]

# Source type value -> nt channel. Value 0 is background in every source.
CONSEP_TO_NT = {0: 0, 1: 4, 2: 1, 3: 3, 4: 2}
PANNUKE_DEMO_TO_NT = {0: 0, 1: 3, 2: IGNORE}
