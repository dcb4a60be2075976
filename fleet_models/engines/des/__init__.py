"""The SimPy fleet engine, the reference semantics: one replication of one architecture.

What is simulated (the reference semantics; the README's "Fleet simulation"
section says the same in plain words):

Fleet and units
    ``fleet.switches`` switches of ``fleet.ports_per_switch`` ports, all new at
    t = 0. For every component kind a switch holds ``per_switch`` units; unit i
    covers ports [i*ppu, (i+1)*ppu) (``ports_per_unit`` None: every port of the
    switch). A replace-switch kind with ``spare_units`` s holds s more units
    (fail in place, see Repair): powered and ageing from t = 0 like the others
    (hot standby), serving no port until they take over. A unit has
    ``elements`` elements with independent lives drawn from ``life`` and works
    while at least ``needed`` of them do. A port is up only
    while every unit covering it is up and its switch is not being replaced.

Failure-driven sampling (cost grows with failures, not units)
    Of the N = switches*(per_switch + spare_units)*elements elements of a kind,
    alive and new from t0 with a remaining horizon H', only Binomial(N, F(H'))
    fail inside it:
    which ones is drawn without replacement and their times by truncated
    sampling (``LifeModel.sample_before``, closed forms for Weibull and
    exponential). Only those become events. A swapped element or a replaced
    switch draws fresh lives from age zero when the repair completes, thinned
    the same way to the remaining horizon (for one element: a uniform u gives the
    life ppf(u), which fails inside iff u < F(H'), so the same thinning). A unit
    under repair does not age; units keep ageing while their ports are down for
    another unit's repair. A switch replacement renews the units that go with the
    chassis (replace-switch units, and swap units with ``moves_on_replacement``
    false): the switch's generation counter is bumped so their pending failure and
    repair events are ignored, and they draw new lives. Swap units that move
    (pluggable modules, ELS: the default) keep their age, their pending failures
    and repairs; a failed one stays down after the replacement until it is swapped.

Repair
    A failure is detected ``detection_hours`` after it happens.
    ``swap``: at detection the repair orders a part from the component's spare
    pool if one is configured (base stock: every demand orders one part at once,
    it arrives after the lead time) and takes a part, waiting FCFS for the next
    arrival when none is on hand (``spare_waits`` counts those demands); then it
    queues FCFS for a technician (``policy.technicians``, 0 = unlimited) and
    holds them ``swap_hours`` (the component's own, else the policy's;
    exponential with that mean when ``policy.hands_on`` is exponential); the
    element is back at the end. A unit
    of several elements with ``repair_scope`` "unit" is swapped only when it goes
    down, and the swap renews every element (a per-unit generation voids their
    pending failures); with "element" every failed element is repaired this way
    and the unit's ports are down only while fewer than ``needed`` elements are up.
    With ``ntf_fraction`` f > 0 each swap's removed unit had nothing wrong (no
    trouble found) with probability f, drawn when the failure happens: the swap
    is the same (detection, a part taken from the pool, a technician, the fault
    cleared and a fresh life), but it orders no part (only the other swaps do:
    orders = (1 - f) x demands on average) and the removed unit is back in the
    pool ``policy.ntf_test_days`` after its swap started; the ledger records it
    as an ``ntf_swap`` (labour, no part), the ``swaps`` metric counts both kinds.
    ``replace-switch`` with ``in_place_fraction`` f > 0 (a constant-rate unit of
    one element): its events are two independent Poisson streams, a unit kind
    carrying (1 - f) of the rate that replaces the switch as below, and an
    in-place kind (streams keyed ``NAME#in-place``) carrying f of it whose every
    event is a no-trouble-found swap of the unit's ports (detection, a
    technician, ``in_place_hours``, no part, no pool); both count as the
    component's failures and ledger rows.
    ``replace-switch``: with ``spare_units`` > 0 a unit that goes down first
    looks for a spare: an idle spare that goes down is just one spare fewer; a
    serving unit that goes down while an idle spare is left hands its block of
    ports to the lowest-numbered one (no port down, no outage, no interruption,
    no visit). A unit that goes down and finds no spare (every unit when
    ``spare_units`` is 0) takes its ports down at once and leaves the switch
    *degraded* (awaiting a replacement) from that moment. Element failures of
    such a unit that leave it working are latent: nothing is repaired until the
    switch is replaced. When a failure in a degraded switch is detected, a replacement is triggered at once
    if the switch has ``replace_switch_when_ports_down`` (k) or more ports down
    for replace-switch units (ports actually down: not those a spare serves, nor
    those down only for a swap under way), or if a switch-wide unit (ppu None)
    that found no spare is among its failed units; otherwise, with
    ``maintenance_window_days`` set, at the next window (windows at multiples of
    that period from t = 0); otherwise the switch runs degraded until k is
    reached or the horizon ends. A replacement takes a ``switch`` spare (pool
    ``switch`` if configured, same base-stock rules; an order placed after the
    support period ends, ``support.years``, arrives after ``support``'s
    ``buy_lead_days`` or ``depot_days`` instead of the pool's lead time) and then a technician,
    and holds them ``switch_replacement_hours`` during which every port of the
    switch is down; it ends the degraded state when it starts, and every unit
    is new when it ends (with its spare units: a new switch brings new spares).
    A repair of a unit whose switch was replaced meanwhile is dropped (its part,
    if it took one, goes back to stock; the part it ordered still arrives).

Predictive replacement
    A replace-switch kind with ``predicted`` (no spare units) has each failure foreseen unless a
    draw from its (component, switch) stream ``(i, crc32(name), 1, switch)``, in the order of the
    switch's failures of that kind as they are drawn (initial lives, then each new chassis'),
    falls below ``predict_miss_rate`` (nothing is drawn at a miss rate of 1). A foreseen
    failure at t raises an alarm at max(t - lead, the time of the failure of its kind on that
    chassis before it, the chassis' start): the fast engine's cohorts draw a failure only when
    the one before it happens, so an earlier alarm could not be raised there; the alarm is void if the
    switch was replaced since, else the switch is replaced, planned, at the next maintenance
    window at or after the alarm (at the alarm without windows) if that is before t and no
    replacement is pending then. False alarms on each switch of an architecture with a
    predicted kind: Poisson(rate x horizon) at uniform times, from the stream
    ``("#false-alarms", 1, switch)``, each a planned replacement at the next window.

Metrics (``metric_names``), all truncated at the horizon
    port_availability      up port-hours / (ports * horizon); replacement
                           downtime, planned or not, is down time
    failures_<component>   element failures of that kind inside the horizon
    swaps                  swap repairs whose hands-on time started
    switch_replacements    switch replacements that started
    port_down_hours        port-hours down
    unplanned_outages      failure events that took at least one port down at
                           the moment of failure
    degraded_switch_hours  switch-hours spent holding failed units awaiting
                           replacement (until the replacement starts)
    technician_hours       hands-on hours (swaps and replacements)
    spare_waits            part demands that found no part on hand
    job_interruptions      stalls that interrupted a job (below): with single
                           homing, an unplanned outage interrupts every job
                           owning a port it took down, unless that job is
                           stalled already or was interrupted less than
                           ``restart_hours`` ago; with dual homing none.

Jobs and the fabric (``scenario.fabric``; ``Ledger.lost_by_month``)
    The fleet's GPUs (``fleet_models.engines.fabric``: switches*ports*gpus_per_port, or the
    architecture's gpus_per_switch spread over its ports) form max(1,
    floor(GPUs/job_gpus)) jobs over consecutive ports (a port belongs to the job of
    its first GPU; each job has job_gpus GPUs, the last the remainder). A port
    going down (a unit or a replacement taking it) is *unplanned* unless a
    maintenance-window replacement takes it. ``homing`` "single": an unplanned
    port-down stalls its job if it is running (whole or without excluded nodes):
    the job's G GPUs are lost until all its ports are back or ``exclude_hours``
    pass, whichever is first; after the exclusion the job loses min(d*gpp, G), d its
    ports down, until they are back. A planned port-down does not stall: the
    job is drained and runs without those GPUs (the TCO charges the drain's
    restart). ``homing`` "dual": while d > 0 the job loses
    ``degraded_slowdown``*G, and nothing interrupts it; once ``exclude_hours`` have passed
    since its first port went down, min(``degraded_slowdown``*G, d*gpp) (its operator drops
    the slow nodes when running without them loses less). The GPU-hours lost are
    accumulated per month like the port-down hours.

Determinism and common random numbers
    Replication i draws from streams ``SeedSequence(entropy=seed, spawn_key=(i,
    crc32(component name), tag))`` (:class:`Streams`): per component its parameter
    draw, its initial lives switch by switch, per switch its renewals, and per
    switch (a key one word longer: ``(i, crc32(name), 0, switch)``) whether each
    of its swaps found no trouble (drawn only when ``ntf_fraction`` > 0, so a
    share of 0 changes no other draw); hands-on times have their own. Results
    depend neither on how replications are grouped
    nor on the other architectures of the scenario, and components two
    architectures share fail at the same times in the same replication.
    Initial failures are scheduled sorted by (time, switch, unit, kind) and all
    later events in the order the (deterministic) simulation creates them; SimPy
    orders events by time then insertion.
"""
