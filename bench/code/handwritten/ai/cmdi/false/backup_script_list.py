import subprocess
from datetime import datetime


def backup_directory():
    source = input("Directory to back up: ").strip()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    archive = f"/backups/backup-{stamp}.tar.gz"
    result = subprocess.run(["tar", "-czf", archive, "--", source], check=False)
    if result.returncode == 0:
        print("Backup complete:", archive)
    else:
        print("Backup failed")


if __name__ == "__main__":
    backup_directory()
