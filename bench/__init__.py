"""The benchmark harness: `python -m bench` (or `make bench`) prints figures and ratios and writes them as JSON.

Not timed tests: nothing here asserts a speed. Each phase measures one thing against a baseline taken in the
same run on the same machine, so the ratios stay meaningful when the machine is busy or different.
"""
