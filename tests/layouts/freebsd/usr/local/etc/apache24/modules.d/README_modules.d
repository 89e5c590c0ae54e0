# modules.d/README_modules.d - written for cgisetup's tests from FreeBSD's documented layout (www/apache24 port, /usr/local/etc/apache24).
# Ports install NNN_name.conf files here.
