package org.jupyterhealth.exchange.identity.web;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jupyterhealth.exchange.identity.config.IdentityConfig;

import io.netty.util.NetUtil;
import io.quarkus.runtime.Startup;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The address of the client behind a request, which the refusal of repeated failures counts by.
 * <p>
 * {@code X-Forwarded-For} is believed only when the TCP peer is one of the configured proxies (the gateway): anyone
 * else who reaches the service port could write any address there and start every guess from a fresh one. From a
 * trusted peer, the chain is read from the right, skipping the hops that are themselves trusted proxies (an
 * ingress in front of the gateway); the first other address is the client. Entries that are not IP literals are
 * never looked up: the hop to their right, which a trusted proxy wrote, stands for them.
 */
@ApplicationScoped
@Startup
public class ClientAddress {
    private final List<Cidr> trusted;

    @Inject
    public ClientAddress(IdentityConfig config) {
        this(config.trustedProxies());
    }

    /** Trusting these addresses and ranges; an entry that is neither stops the service at start. */
    ClientAddress(List<String> trustedProxies) {
        List<Cidr> ranges = new ArrayList<>();
        for (String entry : trustedProxies) {
            if (!entry.isBlank()) {
                ranges.add(Cidr.parse(entry.trim()));
            }
        }
        this.trusted = List.copyOf(ranges);
    }

    public String of(HttpServerRequest request) {
        SocketAddress peer = request.connection() != null ? request.connection().remoteAddress()
                : request.remoteAddress();
        return resolve(peer == null ? null : peer.hostAddress(), request.getHeader("X-Forwarded-For"));
    }

    /** The client's address from the TCP peer's address and the {@code X-Forwarded-For} header (may be null). */
    String resolve(String peerAddress, String forwarded) {
        byte[] peerBytes = peerAddress == null ? null : literal(peerAddress);
        if (peerBytes == null) {
            return peerAddress == null ? "unknown" : peerAddress;
        }
        if (!isTrusted(peerBytes)) {
            return canonical(peerBytes);
        }
        if (forwarded == null || forwarded.isBlank()) {
            return canonical(peerBytes);
        }
        String[] hops = forwarded.split(",");
        byte[] client = peerBytes;
        for (int i = hops.length - 1; i >= 0; i--) {
            byte[] hop = literal(hops[i].trim());
            if (hop == null) {
                break;
            }
            client = hop;
            if (!isTrusted(hop)) {
                break;
            }
        }
        return canonical(client);
    }

    private boolean isTrusted(byte[] address) {
        for (Cidr range : trusted) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The bytes of an IP address literal (IPv4-mapped IPv6 as IPv4), or null; never a name lookup. */
    static byte[] literal(String text) {
        if (text.isEmpty() || text.length() > 64) {
            return null;
        }
        String address = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        if (bytes != null && bytes.length == 16 && isIpv4Mapped(bytes)) {
            byte[] v4 = new byte[4];
            System.arraycopy(bytes, 12, v4, 0, 4);
            return v4;
        }
        return bytes;
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    /** One spelling per address, so that a client cannot split its count by writing its address differently. */
    private static String canonical(byte[] address) {
        return NetUtil.bytesToIpAddress(address);
    }

    /** An address range: {@code 10.0.0.0/8}, {@code fd00::/8}, or one address. */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            byte[] network = literal(slash < 0 ? text : text.substring(0, slash));
            if (network == null) {
                throw new IllegalArgumentException("jhe.identity.trusted-proxies: not an IP address or CIDR range: "
                        + text);
            }
            int bits = network.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("jhe.identity.trusted-proxies: bad prefix length in " + text);
                }
            }
            return new Cidr(network, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
