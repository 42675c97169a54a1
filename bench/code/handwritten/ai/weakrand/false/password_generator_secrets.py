import secrets
import string


def generate_password(length=12):
    """Generate a random password with letters, digits and punctuation."""
    characters = string.ascii_letters + string.digits + string.punctuation
    password = "".join(secrets.choice(characters) for _ in range(length))
    return password


if __name__ == "__main__":
    print("Your new password:", generate_password())
