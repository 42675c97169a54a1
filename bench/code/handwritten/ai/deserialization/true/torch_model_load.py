import sys

import torch


def load_model(checkpoint_path):
    model = torch.load(checkpoint_path, map_location="cpu")
    model.eval()
    return model


if __name__ == "__main__":
    m = load_model(sys.argv[1])
    print(m)
