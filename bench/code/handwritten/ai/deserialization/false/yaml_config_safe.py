import yaml


def load_config(path="config.yaml"):
    """Load the application configuration from a YAML file."""
    with open(path, "r") as f:
        config = yaml.safe_load(f)
    return config


if __name__ == "__main__":
    cfg = load_config()
    print(cfg.get("database", {}))
