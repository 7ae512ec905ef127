"""`make bench`: the portal served like production, loaded page by page as the role that uses it.

Run `python -m bench --help`; the README's Performance section explains the figures.
"""
