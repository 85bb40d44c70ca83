# The exchange node and CLI. Build from the repository root:
#   docker build -f docker/node.Dockerfile -t exchange-node .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Exchange.Node -c Release -o /out --nologo

FROM mcr.microsoft.com/dotnet/runtime:10.0
RUN apt-get update \
 && (apt-get install -y --no-install-recommends libsecp256k1-2 || apt-get install -y --no-install-recommends libsecp256k1-1) \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out .
ENTRYPOINT ["dotnet", "exchange.dll"]
CMD ["--help"]
