"""The chapters of the workbook, in learning order.

Each name is a package under chapters/, solutions/, katas/ and tests/.
Adding a chapter: append it here and follow docs/adding-a-chapter.md.
"""

CHAPTERS = [
    "01_slices",
    "02_maps",
    "03_defer",
    "04_scheduler",
    "05_channels",
    "06_select",
    "07_mutex",
    "08_rwmutex",
    "09_waitgroup",
    "10_syncmap",
    "11_context",
    "12_allocator",
]
