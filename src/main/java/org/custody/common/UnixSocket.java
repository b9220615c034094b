package org.custody.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A {@link Socket} over a Unix-domain {@link SocketChannel}, with what the driver uses of one. The channel blocks while
 * no read timeout is set, which is the common case; with one, it waits through a selector of its own. Reads and
 * writes take turns (the driver uses a connection from one thread at a time); closing does not wait for them.
 */
final class UnixSocket extends Socket {
    private final Path socketFile;
    private volatile SocketChannel channel;
    private volatile Selector selector;
    private volatile int readTimeoutMillis;

    UnixSocket(Path socketFile) {
        this.socketFile = socketFile;
    }

    @Override
    public void connect(SocketAddress ignored) throws IOException {
        connect(ignored, 0);
    }

    /** The address the driver passes (the URL's host and port) is not used: the socket file is. */
    @Override
    public void connect(SocketAddress ignored, int timeoutMillis) throws IOException {
        if (channel != null) {
            throw new SocketException("already connected");
        }
        SocketChannel opened = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            opened.connect(UnixDomainSocketAddress.of(socketFile));
        } catch (IOException e) {
            opened.close();
            throw new SocketException("could not connect to the database's socket " + socketFile + ": " + e.getMessage());
        }
        channel = opened;
    }

    @Override
    public boolean isConnected() {
        return channel != null;
    }

    @Override
    public boolean isClosed() {
        SocketChannel current = channel;
        return current != null && !current.isOpen();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        requireConnected();
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                return UnixSocket.this.read(ByteBuffer.wrap(bytes, offset, length));
            }
        };
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        requireConnected();
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                UnixSocket.this.write(ByteBuffer.wrap(bytes, offset, length));
            }
        };
    }

    private synchronized int read(ByteBuffer into) throws IOException {
        if (!into.hasRemaining()) {
            return 0;
        }
        int timeout = readTimeoutMillis;
        useBlockingMode(timeout == 0);
        if (timeout == 0) {
            return channel.read(into);
        }
        long deadline = System.nanoTime() + timeout * 1_000_000L;
        while (true) {
            int n = channel.read(into);
            if (n != 0) {
                return n;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new SocketTimeoutException("read timed out after " + timeout + " ms");
            }
            waitFor(SelectionKey.OP_READ, left);
        }
    }

    private synchronized void write(ByteBuffer from) throws IOException {
        while (from.hasRemaining()) {
            if (channel.write(from) == 0) {
                waitFor(SelectionKey.OP_WRITE, 0);
            }
        }
    }

    /** Waits until the channel, in non-blocking mode, is ready for {@code operation}, or {@code millis} (0: no limit). */
    private void waitFor(int operation, long millis) throws IOException {
        try {
            channel.keyFor(selector).interestOps(operation);
            selector.select(millis);
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException | CancelledKeyException closedMeanwhile) {
            throw new SocketException("closed");
        }
    }

    private void useBlockingMode(boolean blocking) throws IOException {
        requireConnected();
        if (channel.isBlocking() == blocking) {
            return;
        }
        if (blocking) {
            channel.keyFor(selector).cancel();
            selector.selectNow(); // deregisters the cancelled key, which a blocking channel may not have
            channel.configureBlocking(true);
        } else {
            if (selector == null) {
                selector = Selector.open();
            }
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
        }
    }

    private void requireConnected() throws SocketException {
        if (channel == null) {
            throw new SocketException("not connected");
        }
        if (!channel.isOpen()) {
            throw new SocketException("closed");
        }
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (timeout < 0) {
            throw new IllegalArgumentException("a timeout may not be negative");
        }
        readTimeoutMillis = timeout;
    }

    @Override
    public int getSoTimeout() {
        return readTimeoutMillis;
    }

    /** Nagle's algorithm and keep-alives are TCP's: nothing to set here. */
    @Override
    public void setTcpNoDelay(boolean on) {
    }

    @Override
    public boolean getTcpNoDelay() {
        return true;
    }

    @Override
    public void setKeepAlive(boolean on) {
    }

    @Override
    public boolean getKeepAlive() {
        return false;
    }

    /** The buffer sizes the driver reads to size its own; the kernel's for the socket are left as they are. */
    @Override
    public int getSendBufferSize() {
        return 8192;
    }

    @Override
    public void setSendBufferSize(int size) {
    }

    @Override
    public int getReceiveBufferSize() {
        return 8192;
    }

    @Override
    public void setReceiveBufferSize(int size) {
    }

    @Override
    public InetAddress getInetAddress() {
        return null;
    }

    @Override
    public InetAddress getLocalAddress() {
        return null;
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return channel == null ? null : UnixDomainSocketAddress.of(socketFile);
    }

    @Override
    public void close() throws IOException {
        SocketChannel current = channel;
        try {
            if (current != null) {
                current.close();
            }
        } finally {
            Selector opened = selector;
            if (opened != null) {
                opened.close(); // wakes a read waiting in it
            }
        }
    }

    @Override
    public String toString() {
        return "UnixSocket[" + socketFile + (isClosed() ? ", closed" : "") + "]";
    }
}
