import sqlite3
import sys


def delete_user(db_path, user_id):
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("DELETE FROM users WHERE id = " + user_id)
        conn.commit()
        print(f"Deleted user {user_id}")
    finally:
        conn.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: delete_user.py DB USER_ID")
        sys.exit(1)
    delete_user(sys.argv[1], sys.argv[2])
