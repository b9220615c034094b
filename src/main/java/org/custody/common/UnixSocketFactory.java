package org.custody.common;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import javax.net.SocketFactory;

/**
 * Connects the PostgreSQL driver to a server on the same machine over its Unix-domain socket instead of TCP, as
 * {@code psql} does by default. The driver has no such transport of its own, but takes a socket factory by name:
 * <pre>
 * jdbc:postgresql://localhost/custody?socketFactory=org.custody.common.UnixSocketFactory
 *     &amp;socketFactoryArg=/var/run/postgresql/.s.PGSQL.5432&amp;sslmode=disable&amp;gssEncMode=disable
 * </pre>
 * The host and port in the URL are then not used: {@code socketFactoryArg} names the server's socket file (its
 * {@code unix_socket_directories} and {@code .s.PGSQL.<port>}). PostgreSQL offers neither TLS nor GSS encryption on
 * such a socket, so asking for them only costs a round trip at each connection. A round trip over this socket cost about
 * two thirds of the CPU of one over loopback TCP on the build machine, and a case read makes about three (README,
 * "Configuration and PostgreSQL").
 *
 * <p>The sockets honour the driver's timeouts for reads ({@code socketTimeout}, and the one {@code isValid} sets while the
 * pool checks a connection); writes and the connection itself do not wait on a local socket.
 */
public final class UnixSocketFactory extends SocketFactory {
    private final Path socketFile;

    /** The driver calls this with {@code socketFactoryArg}. */
    public UnixSocketFactory(String socketFile) {
        if (socketFile == null || socketFile.isBlank()) {
            throw new IllegalArgumentException("socketFactoryArg must name the server's socket file, such as /var/run/postgresql/.s.PGSQL.5432");
        }
        this.socketFile = Path.of(socketFile);
    }

    @Override
    public Socket createSocket() {
        return new UnixSocket(socketFile);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(null);
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket((String) null, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket((String) null, port);
    }
}
