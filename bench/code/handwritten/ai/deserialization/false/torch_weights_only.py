import sys

import torch

from mymodels import Net


def load_model(checkpoint_path):
    model = Net()
    state = torch.load(checkpoint_path, map_location="cpu", weights_only=True)
    model.load_state_dict(state)
    model.eval()
    return model


if __name__ == "__main__":
    print(load_model(sys.argv[1]))
