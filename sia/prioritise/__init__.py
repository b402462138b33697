"""The priority recommendation: a status, a score and a rationale for every priority.

The modules are imported by name (``from sia.prioritise.recommend import ...``); this
package imports nothing itself, so that the partnership schema can use
:mod:`sia.prioritise.parameters` without a circular import.
"""
