"""A weighted round-robin load balancer with health checks."""


class NoHealthyBackend(LookupError):
    """Every backend is down: a real balancer would answer 503."""


class Balancer:
    def __init__(self, weights: dict[str, int]) -> None:
        if any(weight < 1 for weight in weights.values()):
            raise ValueError("weights must be at least 1")
        self.weights = dict(weights)
        self.healthy = set(weights)
        self._current = dict.fromkeys(weights, 0)

    def mark(self, name: str, healthy: bool) -> None:
        if name not in self.weights:
            raise KeyError(name)
        if healthy:
            self.healthy.add(name)
        else:
            self.healthy.discard(name)
            self._current[name] = 0

    def pick(self) -> str:
        # "smooth weighted round robin" (as in NGINX): every pick adds each healthy
        # backend's weight to its score, the highest score wins and pays back the total.
        pool = [name for name in self.weights if name in self.healthy]
        if not pool:
            return self.weights and [][0]
        for name in pool:
            self._current[name] += self.weights[name]
        chosen = max(pool, key=lambda name: self._current[name])
        self._current[chosen] -= sum(self.weights[name] for name in pool)
        return chosen


balancer = Balancer({})


def setup(weights: dict[str, int]) -> None:
    global balancer
    balancer = Balancer(weights)


def pick() -> str:
    return balancer.pick()


def mark(name: str, healthy: bool) -> None:
    balancer.mark(name, healthy)
