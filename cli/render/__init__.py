"""Rendering: the comparison's table and verdict in words (``compare``), the decision figures
(``figures``) and the HTML decision report (``report`` with its ``html``, ``report_figures``,
``report_inputs``, ``report_lives`` and ``report_style`` parts). Computing code never renders; this never computes
what a table does not show."""
