"""The operating system's side of the trust boundary: what a worker can see and use.

`plan` (in the grader) says what to hide and what to keep; `isolate` (in the zygote)
enters the namespaces and builds the worker's root; `prepare_environment` (in the zygote)
sets up the workers' environment; `confine` (in each worker) drops to an unprivileged
identity. See levels.py for the layers and how they are reported.
"""

from autograder.sandbox.levels import (
    LAYERS,
    MODES,
    SIMULATE_FAILURE_VARIABLE,
    Isolation,
    SandboxUnavailable,
)
from autograder.sandbox.namespaces import (
    Plan,
    confine,
    end_leftovers,
    isolate,
    machine_layers,
    plan,
    prepare_environment,
)

__all__ = ["LAYERS", "MODES", "SIMULATE_FAILURE_VARIABLE", "Isolation", "Plan",
           "SandboxUnavailable", "confine", "end_leftovers", "isolate", "machine_layers",
           "plan", "prepare_environment"]
