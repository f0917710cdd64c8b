"""The operations of the web app, one module each, called alike by the HTML pages, the
JSON API and the notebook upload: routes only parse, call and render.

* :mod:`~web.services.code` submits code (graded, then recorded),
* :mod:`~web.services.quiz` answers a quiz, :mod:`~web.services.selfcheck` a self-check,
* :mod:`~web.services.notebook` grades an uploaded notebook,
* :mod:`~web.services.progress` records that a point or exercise was opened or completed,
* :mod:`~web.services.turn` takes a tutor turn.

Each operation writes in ONE transaction (:mod:`~web.services.transaction`), run in a
worker thread, and never holds a database connection while it waits for grading or for
the model. Each counts its metrics once. Refusals are :mod:`~web.services.refusals`.
"""
