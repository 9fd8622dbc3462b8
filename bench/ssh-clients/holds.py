"""The two other ways kex-hold could hold a client after its complete KEXINIT, for comparison with the agent's (the
start of the key exchange reply, dripped): `ignore` sends one whole SSH_MSG_IGNORE packet per interval (what
kex-hold sent before issue 20), `silence` sends nothing more. Both send the identification line and Debian 12's
KEXINIT (with kex-strict-s-v00@openssh.com, as the agent does) at once. Runs until killed.
Usage: python3 holds.py IGNORE_PORT SILENCE_PORT INTERVAL_S"""
import asyncio
import os
import random
import struct
import sys

BANNER = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n"
MACS = "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1"
CIPHERS = "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com"
LISTS = [
    "sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256,kex-strict-s-v00@openssh.com",
    "rsa-sha2-512,rsa-sha2-256,ecdsa-sha2-nistp256,ssh-ed25519", CIPHERS, CIPHERS, MACS, MACS,
    "none,zlib@openssh.com", "none,zlib@openssh.com", "", "",
]


def packet(payload):
    padding = 8 - (5 + len(payload)) % 8
    if padding < 4:
        padding += 8
    return struct.pack(">IB", 1 + len(payload) + padding, padding) + payload + os.urandom(padding)


def kexinit():
    body = bytes([20]) + os.urandom(16)
    for names in LISTS:
        body += struct.pack(">I", len(names)) + names.encode()
    return packet(body + b"\0" + b"\0\0\0\0")


def ignore():
    data = os.urandom(27)
    return packet(bytes([2]) + struct.pack(">I", len(data)) + data)


async def serve(reader, writer, with_ignore, interval):
    try:
        writer.write(BANNER + kexinit())
        await writer.drain()
        while True:
            await asyncio.sleep(interval * random.uniform(0.5, 1.5))
            if with_ignore:
                writer.write(ignore())
                await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def main(ignore_port, silence_port, interval):
    servers = [
        await asyncio.start_server(lambda r, w: serve(r, w, True, interval), "127.0.0.1", ignore_port),
        await asyncio.start_server(lambda r, w: serve(r, w, False, interval), "127.0.0.1", silence_port),
    ]
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])))
