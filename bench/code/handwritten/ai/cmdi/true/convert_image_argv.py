import subprocess
import sys


def convert(src, width):
    cmd = "convert {} -resize {}x {}".format(src, width, src.rsplit(".", 1)[0] + "_small.png")
    subprocess.call(cmd, shell=True)


if __name__ == "__main__":
    convert(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "320")
