"""Analytics: AR aging and collection metrics, as pure functions over plain inputs."""
