import hashlib
import sys


def file_checksum(path, chunk_size=65536):
    """Compute the SHA-256 checksum of a file to verify downloads."""
    sha256 = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            sha256.update(chunk)
    return sha256.hexdigest()


if __name__ == "__main__":
    print(file_checksum(sys.argv[1]))
