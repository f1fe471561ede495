"""The skeleton both determination engines share (US EAR and PRC export control).

An engine keys a batch (`keying`: one key per distinct regime, item, destination, end use and party
countries), matches the measures in force against the keys (`measures`), screens the named parties
(`lists`, `party_rows`) and reads the hits (`party_reasons`), and reports each answer's reasons in one
shape (`reasons`, `grouping`) with the checks it made (`checks`). What only one jurisdiction reads
(the CCL and Country Chart, Part 740 exceptions, §744.21 for the US; PRC codes for China) stays in its
own package, which imports this one; this package imports neither.
"""
