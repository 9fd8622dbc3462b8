"""One SSH client library as a bot drives it: connect to 127.0.0.1:PORT and try one password, with the library's own
default timeouts. Prints one line, "GAVE UP: <exception>" or "CONNECTED", when it ends; a held client prints nothing.
Usage: python3 clients.py paramiko|asyncssh PORT   (Debian's /usr/bin/python3, where python3-paramiko/-asyncssh are)"""
import asyncio
import sys


def paramiko_client(port):
    import paramiko
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect("127.0.0.1", port, username="root", password="toor", look_for_keys=False, allow_agent=False)


def asyncssh_client(port):
    import asyncssh

    async def main():
        async with asyncssh.connect("127.0.0.1", port, username="root", password="toor", known_hosts=None, client_keys=None):
            pass

    asyncio.run(main())


if __name__ == "__main__":
    which, port = sys.argv[1], int(sys.argv[2])
    try:
        {"paramiko": paramiko_client, "asyncssh": asyncssh_client}[which](port)
        print("CONNECTED", flush=True)
    except Exception as e:  # the library's own error is the result
        print(f"GAVE UP: {type(e).__name__}: {e}".splitlines()[0], flush=True)
