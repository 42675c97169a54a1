import os
from datetime import datetime


def backup_directory():
    source = input("Directory to back up: ").strip()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    archive = f"/backups/backup-{stamp}.tar.gz"
    command = "tar -czf " + archive + " " + source
    print(f"Running: {command}")
    exit_code = os.system(command)
    if exit_code == 0:
        print("Backup complete:", archive)
    else:
        print("Backup failed")


if __name__ == "__main__":
    backup_directory()
