#!/usr/bin/env python3
"""Generates test/fixtures/<provider>/webhook-corpus.json: for every documented event of each provider,
a payload in our template's shape and one in the provider's native shape, each with the normalized
call it must map to. Expectations come from the 'truth' call below and the rules of which fields each
payload carries (never from running the mapper)."""
import json, os
from datetime import datetime, timedelta, timezone

def iso(dt): return dt.strftime('%Y-%m-%dT%H:%M:%S.000Z')
def ms(dt): return int(dt.timestamp()*1000)

OUT=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures')

# ---------------------------------------------------------------- Ringba
T0=datetime(2026,5,1,12,0,0,tzinfo=timezone.utc)
R=dict(id='RGB0C0A1B2C3D4E5F60718293A4B5C6D', caller='+12135550142', tracking='+18005550199',
       campaignId='CA55aa01', campaignName='Auto Insurance', publisherId='AF01', publisherName='Acme Media',
       publisherSubId='sub-1', targetId='TA02', targetName='Northwind', targetNumber='+13105550100',
       state='CA', zip='90210', revenue='42.5', payout='20', duration=312, connected=300, endSource='Caller',
       recording='https://media.ringba.com/recording/RGB0C0A1.mp3',
       start=T0, answer=T0+timedelta(seconds=12), end=T0+timedelta(seconds=312))
TIMES={'incoming':R['start'],'connected':R['answer'],'converted':R['answer']+timedelta(seconds=60),
       'payout':R['answer']+timedelta(seconds=61),'completed':R['end'],'finalized':R['end']+timedelta(seconds=1),
       'recording':R['end']+timedelta(seconds=20),'error':R['start']+timedelta(seconds=5)}
TYPES={'incoming':'call.started','connected':'call.answered','converted':'call.converted','payout':'call.payout',
       'completed':'call.completed','finalized':'call.completed','recording':'call.recording','error':'call.completed'}
COMMON=['call_id','caller','number','campaign_name','publisher_id','publisher_name','publisher_sub_id','duplicate']
TARGET=['target_id','target_name','buyer']
FIELDS={'incoming':COMMON+['state','zip'],'connected':COMMON+TARGET,'converted':COMMON+TARGET+['revenue'],
        'payout':COMMON+TARGET+['revenue','payout'],'completed':COMMON+TARGET+['duration','end_source'],
        'finalized':COMMON+TARGET+['duration','end_source','revenue','payout'],'recording':COMMON+['recording_url'],
        'error':COMMON+TARGET+['end_source']}
VAL={'call_id':R['id'],'caller':R['caller'][1:],'number':R['tracking'],'campaign_name':R['campaignName'],
     'publisher_id':R['publisherId'],'publisher_name':R['publisherName'],'publisher_sub_id':R['publisherSubId'],
     'duplicate':'false','state':R['state'],'zip':R['zip'],'target_id':R['targetId'],'target_name':R['targetName'],
     'buyer':'Northwind Buyer','revenue':R['revenue'],'payout':R['payout'],'duration':str(R['duration']),
     'end_source':R['endSource'],'recording_url':R['recording']}
def money(v): 
    w,_,f=v.partition('.'); return f"{w}.{(f+'0000')[:4]}"
ringba=[]
for t in ['incoming','connected','converted','payout','completed','finalized','recording','error']:
    at=TIMES[t]
    q={'event':t, **{k:VAL[k] for k in FIELDS[t]}}
    if t=='error': q['end_source']='System'
    call={'externalId':R['id'],'callerNumber':R['caller'],'trackingNumber':R['tracking'],'campaignName':R['campaignName']}
    tags={'publisherId':R['publisherId'],'publisherName':R['publisherName'],'publisherSubId':R['publisherSubId'],'isDuplicate':'false'}
    st={'incoming':'ringing','connected':'in_progress','completed':'completed','error':'failed'}.get(t)
    if st: call['status']=st
    if t=='incoming': call['startedAt']=iso(at); tags.update(callerState='CA',callerZip='90210')
    if t=='connected': call['answeredAt']=iso(at)
    if t in ('completed','finalized','error'): call['endedAt']=iso(at)
    if t in ('converted',): call['converted']=True
    if 'revenue' in FIELDS[t]: call['revenue']=money(R['revenue'])
    if 'payout' in FIELDS[t]: call['payout']=money(R['payout'])
    if 'duration' in FIELDS[t]:
        call['durationSeconds']=R['duration']
        # an end-of-call pixel with a call length dates the start from the end
        if t in ('completed','finalized'): call['startedAt']=iso(at-timedelta(seconds=R['duration']))
    if 'recording_url' in FIELDS[t]: call['recordingUrl']=R['recording']
    if 'target_id' in FIELDS[t]: tags.update(targetId=R['targetId'],targetName=R['targetName'],buyerName='Northwind Buyer')
    if 'end_source' in FIELDS[t]: tags['endCallSource']='System' if t=='error' else R['endSource']
    call['tags']=tags
    ringba.append({'name':f'{t} pixel, template shape (GET query)','event':t,'shape':'template',
      'request':{'method':'GET','query':q,'receivedAt':iso(at)},
      'expected':{'type':TYPES[t],'eventId':f"{R['id']}:{t}",'occurredAt':iso(at),'call':call}})
# native: Ringba call-log field names in a JSON body, no event parameter
base={'inboundCallId':R['id'],'inboundPhoneNumber':R['caller'],'number':R['tracking'],'campaignId':R['campaignId'],
      'campaignName':R['campaignName'],'publisherId':R['publisherId'],'publisherName':R['publisherName'],
      'publisherSubId':R['publisherSubId'],'callDt':ms(R['start'])}
tgt={'targetId':R['targetId'],'targetName':R['targetName'],'targetNumber':R['targetNumber'],'callConnectionDt':ms(R['answer']),'hasConnected':True}
endf={'callCompletedDt':ms(R['end']),'callLengthInSeconds':R['duration'],'connectedCallLengthInSeconds':R['connected'],'endCallSource':R['endSource'],'isLive':False}
NATIVE={'incoming':(dict(base),'incoming'),
        'connected':({**base,**tgt,'isLive':True},'connected'),
        'converted':({**base,**tgt,'hasConverted':True,'conversionAmount':42.5},'converted'),
        'payout':({**base,**tgt,'hasConverted':True,'conversionAmount':42.5,'hasPayout':True,'payoutAmount':20},'payout'),
        'completed':({**base,**tgt,**endf},'finalized'),
        'finalized':({**base,**tgt,**endf,'hasConverted':True,'conversionAmount':42.5,'payoutAmount':20,'recordingUrl':R['recording']},'finalized'),
        'recording':({'inboundCallId':R['id'],'recordingUrl':R['recording']},'recording'),
        'error':({**base,'isLive':False,'hasConnected':False,'isIncomplete':True,'incompleteCallReason':'Error','callCompletedDt':ms(R['start']+timedelta(seconds=5)),'callLengthInSeconds':5},'finalized')}
for t,(body,inferred) in NATIVE.items():
    at=TIMES[t]
    call={'externalId':R['id']}
    if 'inboundPhoneNumber' in body: call.update(callerNumber=R['caller'],trackingNumber=R['tracking'],campaignExternalId=R['campaignId'],campaignName=R['campaignName'],startedAt=iso(R['start']))
    if 'targetId' in body: call.update(destinationNumber=R['targetNumber'],answeredAt=iso(R['answer']))
    if body.get('hasConverted'): call['converted']=True
    if 'conversionAmount' in body: call['revenue']='42.5000'
    if 'payoutAmount' in body: call['payout']='20.0000'
    if 'callCompletedDt' in body: call['endedAt']=iso(datetime.fromtimestamp(body['callCompletedDt']/1000,timezone.utc)); call['durationSeconds']=body['callLengthInSeconds']
    if 'connectedCallLengthInSeconds' in body: call['connectedDurationSeconds']=R['connected']
    if 'recordingUrl' in body: call['recordingUrl']=R['recording']
    tags={}
    if 'publisherId' in body: tags.update(publisherId=R['publisherId'],publisherName=R['publisherName'],publisherSubId=R['publisherSubId'])
    if 'targetId' in body: tags.update(targetId=R['targetId'],targetName=R['targetName'])
    if 'endCallSource' in body: tags['endCallSource']=R['endSource']
    if tags: call['tags']=tags
    st={'incoming':'ringing','connected':'in_progress'}.get(inferred)
    if inferred=='finalized': st='failed' if t=='error' else 'completed'
    if st: call['status']=st
    occurred = {'incoming':R['start'],'connected':R['answer']}.get(inferred, at)
    if inferred=='finalized': occurred=datetime.fromtimestamp(body['callCompletedDt']/1000,timezone.utc)
    if inferred=='incoming' and 'callDt' not in body: occurred=at
    ringba.append({'name':f'{t} moment, Ringba-native shape (camelCase JSON body, no event)','event':t,'shape':'native',
      'request':{'method':'POST','contentType':'application/json','query':{},'body':body,'receivedAt':iso(at)},
      'expected':{'type':TYPES[inferred],'eventIdPattern':f"^{R['id']}:{inferred}:[0-9a-f]{{16}}$",'occurredAt':iso(occurred),'call':call}})

# ---------------------------------------------------------------- Retreaver
S0=datetime(2026,3,1,12,0,0,tzinfo=timezone.utc)
U='f1abfb78-ab8a-4146-9946-8169fbcc6d6c'
RT=dict(caller='+12025550143',number='+18885550100',dialed='+13125550172',cid='c0ffee01',cname='Home Insurance',
        afid='pub-7',aname='Publisher Seven',sid='sub-1',tid=27449,tname='Buyer A',start=S0,fwd=S0+timedelta(seconds=12),
        end=S0+timedelta(seconds=206),rec='https://example.com/recordings/f1abfb78.mp3')
RTIMES={'incoming':S0,'selected':S0+timedelta(seconds=8),'answered':RT['fwd'],'converted':RT['fwd']+timedelta(seconds=90),'completed':RT['end']}
RTYPE={'incoming':'call.started','selected':'call.updated','answered':'call.answered','converted':'call.converted','completed':'call.completed'}
retreaver=[]
for t in ['incoming','selected','answered','converted','completed']:
    at=RTIMES[t]
    q={'event':t,'uuid':U,'caller':RT['caller'],'number':RT['number'],'cid':RT['cid'],'afid':RT['afid'],'sid':RT['sid']}
    call={'externalId':U,'callerNumber':RT['caller'],'trackingNumber':RT['number'],'campaignExternalId':RT['cid']}
    tags={'publisherId':RT['afid'],'publisherSubId':RT['sid']}
    if t=='incoming': q.update(caller_state='NC',caller_zip='28379'); tags.update(callerState='NC',callerZip='28379'); call.update(status='ringing',startedAt=iso(at))
    if t=='selected': call['status']='ringing'
    if t=='answered': call.update(status='in_progress',answeredAt=iso(at))
    if t=='converted': q['total_duration']='102'; call.update(status='in_progress',converted=True,durationSeconds=102)
    if t=='completed': q.update(total_duration='206',recording_url=RT['rec']); call.update(status='completed',durationSeconds=206,recordingUrl=RT['rec'],endedAt=iso(at),startedAt=iso(at-timedelta(seconds=206)))
    call['tags']=tags
    retreaver.append({'name':f'{t} webhook, template shape (GET query)','event':t,'shape':'template',
      'request':{'method':'GET','query':q,'receivedAt':iso(at)},
      'expected':{'type':RTYPE[t],'eventId':f'{U}:{t}','occurredAt':iso(at),'call':call}})
rbase={'uuid':U,'caller':RT['caller'],'number':RT['number'],'cid':RT['cid'],'campaign_name':RT['cname'],'afid':RT['afid'],'affiliate_name':RT['aname'],'sid':RT['sid'],'start_time':iso(S0)}
rtgt={'target_id':RT['tid'],'target_name':RT['tname'],'target_group':{'id':1639,'name':'Sales floor'},'dialed_number':RT['dialed']}
RN={'incoming':(dict(rbase),'incoming'),
    'selected':({**rbase,**rtgt},'incoming'),
    'answered':({**rbase,**rtgt,'forwarded_time':iso(RT['fwd']),'connected':True},'answered'),
    'converted':({**rbase,**rtgt,'forwarded_time':iso(RT['fwd']),'connected':True,'converted':True,'revenue':'25.50','payout':12,'conversions_determined_at':iso(RTIMES['converted'])},'converted'),
    'completed':({**rbase,**rtgt,'forwarded_time':iso(RT['fwd']),'connected':True,'converted':True,'revenue':'25.50','payout':12,'end_time':iso(RT['end']),'total_duration':206,'dialed_call_duration':194,'status':'finished','recording_url':RT['rec']},'completed')}
for t,(body,inf) in RN.items():
    at=RTIMES[t]
    call={'externalId':U,'callerNumber':RT['caller'],'trackingNumber':RT['number'],'campaignExternalId':RT['cid'],'campaignName':RT['cname'],'startedAt':iso(S0)}
    tags={'publisherId':RT['afid'],'publisherName':RT['aname'],'publisherSubId':RT['sid']}
    if 'target_id' in body:
        tags.update(targetId=str(RT['tid']),targetName=RT['tname'],buyerId=str(RT['tid']),buyerName=RT['tname'],targetGroupId='1639',targetGroupName='Sales floor'); call['destinationNumber']=RT['dialed']
    if 'forwarded_time' in body: call['answeredAt']=iso(RT['fwd'])
    if body.get('converted'): call.update(converted=True,revenue='25.5000',payout='12.0000')
    if 'end_time' in body: call.update(endedAt=iso(RT['end']),durationSeconds=206,connectedDurationSeconds=194,recordingUrl=RT['rec'])
    call['status']={'incoming':'ringing','answered':'in_progress','converted':'in_progress','completed':'completed'}[inf]
    call['tags']=tags
    occurred={'incoming':S0,'answered':RT['fwd'],'converted':RTIMES['converted'],'completed':RT['end']}[inf]
    retreaver.append({'name':f'{t} moment, Retreaver-native shape (Webhook Configurator JSON {{"call": V2 record}}, no event)','event':t,'shape':'native',
      'request':{'method':'POST','contentType':'application/json','query':{},'body':{'call':body},'receivedAt':iso(at)},
      'expected':{'type':RTYPE[inf],'eventIdPattern':f'^{U}:{inf}:[0-9a-f]{{16}}$','occurredAt':iso(occurred),'call':call}})

# ---------------------------------------------------------------- TrackDrive
D0=datetime(2026,1,15,12,0,0,tzinfo=timezone.utc)
TU='9b2c4d6e-8f01-4a23-b456-c789d0e1f234'
def tdt(dt): return dt.strftime('%Y-%m-%d %H:%M:%S +0000')
TD=dict(caller='+17195550123',tracking='+18885550104',dest='+13035550199',offer='10001',oname='Auto Insurance',
        ts='30001',tsname='Publisher North',sub='sub-3',buyer='40001',bname='Acme Insurance Agency',
        start=D0,answer=D0+timedelta(seconds=30),end=D0+timedelta(seconds=330),rec='https://recordings.trackdrive.com/calls/9b2c4d6e.mp3')
DTIMES={'incoming':D0,'ringing':D0+timedelta(seconds=10),'answered':TD['answer'],'completed':TD['end'],
        'converted':TD['end']+timedelta(seconds=5),'payout':TD['end']+timedelta(seconds=6),'recording':TD['end']+timedelta(seconds=30),'updated':TD['end']+timedelta(seconds=60)}
DTYPE={'incoming':'call.started','ringing':'call.started','answered':'call.answered','completed':'call.completed','converted':'call.converted','payout':'call.payout','recording':'call.recording','updated':'call.updated'}
trackdrive=[]
for t in ['incoming','ringing','answered','completed','converted','payout','recording','updated']:
    at=DTIMES[t]
    after_end = t in ('completed','converted','payout','recording','updated')
    body={'uuid':TU,'caller_number':TD['caller'][1:],'buyer':'' if t in ('incoming',) else TD['bname'],
          'total_duration':'330' if after_end else '','payout':'18.0' if after_end else '','geo_state':'CO'}
    call={'externalId':TU,'callerNumber':TD['caller']}
    tags={'caller_state':'CO'}
    if t!='incoming': tags.update(buyer=TD['bname'],buyerName=TD['bname'])
    if after_end: call.update(durationSeconds=330,payout='18.0000')
    if t in ('incoming','ringing'): call['status']='ringing'
    if t=='incoming': call['startedAt']=iso(at)
    if t=='answered': call.update(status='in_progress',answeredAt=iso(at))
    if t=='completed': call.update(endedAt=iso(at),startedAt=iso(at-timedelta(seconds=330)))
    if t=='converted': call['converted']=True
    call['tags']=tags
    eid=f'{TU}:{t}'
    exp={'type':DTYPE[t],'occurredAt':iso(at),'call':call}
    if t=='updated': exp['noEventId']=True  # no updated_at token: nothing stable to key on
    else: exp['eventId']=eid
    trackdrive.append({'name':f'{t} webhook, template shape (JSON body of documented tokens)','event':t,'shape':'template',
      'request':{'method':'POST','contentType':'application/json','query':{'event':t},'body':body,'receivedAt':iso(at)},
      'expected':exp})
dbase={'uuid':TU,'caller_number':TD['caller'],'number_called':TD['tracking'],'offer_id':int(TD['offer']),'offer':TD['oname'],
       'traffic_source_id':int(TD['ts']),'traffic_source':TD['tsname'],'sub_id':TD['sub'],'created_at':tdt(D0)}
DN={'incoming':({**dbase,'status':'initiated','updated_at':tdt(D0)},'incoming'),
    'ringing':({**dbase,'status':'calling-leads','buyer_id':int(TD['buyer']),'buyer':TD['bname'],'updated_at':tdt(DTIMES['ringing'])},'incoming'),
    'answered':({**dbase,'status':'forwarded','buyer_id':int(TD['buyer']),'buyer':TD['bname'],'connected_to':TD['dest'],'updated_at':tdt(TD['answer'])},'answered')}
fin={**dbase,'status':'finished','buyer_id':int(TD['buyer']),'buyer':TD['bname'],'connected_to':TD['dest'],'ended_at':tdt(TD['end']),
     'total_duration':330,'answered_duration':300,'buyer_converted':False,'revenue':'0.0','payout':'0.0'}
DN['completed']=({**fin,'updated_at':tdt(TD['end'])},'completed')
DN['converted']=({**fin,'buyer_converted':True,'revenue':'42.5','updated_at':tdt(DTIMES['converted'])},'completed')
DN['payout']=({**fin,'buyer_converted':True,'revenue':'42.5','offer_converted':True,'payout':'18.0','updated_at':tdt(DTIMES['payout'])},'completed')
DN['recording']=({**fin,'buyer_converted':True,'revenue':'42.5','offer_converted':True,'payout':'18.0','recording_url':TD['rec'],'updated_at':tdt(DTIMES['recording'])},'completed')
DN['updated']=({**fin,'buyer_converted':True,'revenue':'42.5','offer_converted':True,'payout':'18.0','recording_url':TD['rec'],'disposition_name':'Sale','updated_at':tdt(DTIMES['updated'])},'completed')
for t,(rec,inf) in DN.items():
    at=DTIMES[t]
    call={'externalId':TU,'callerNumber':TD['caller'],'trackingNumber':TD['tracking'],'campaignExternalId':TD['offer'],'campaignName':TD['oname'],'startedAt':iso(D0)}
    tags={'publisherId':TD['ts'],'publisherName':TD['tsname'],'publisherSubId':TD['sub'],'traffic_source_id':TD['ts'],'traffic_source':TD['tsname'],'sub_id':TD['sub']}
    if 'buyer_id' in rec: tags.update(buyerId=TD['buyer'],buyerName=TD['bname'],buyer_id=TD['buyer'],buyer=TD['bname'])
    if 'connected_to' in rec: call['destinationNumber']=TD['dest']
    if inf=='incoming': call['status']='ringing'
    if inf=='answered': call.update(status='in_progress',answeredAt=iso(at))
    if inf=='completed':
        call.update(status='completed',endedAt=iso(TD['end']),durationSeconds=330,connectedDurationSeconds=300,answeredAt=iso(TD['answer']),converted=rec['buyer_converted'],
                    revenue=('42.5000' if rec['buyer_converted'] else '0.0000'),payout=('18.0000' if rec.get('offer_converted') else '0.0000'))
        if rec.get('offer_converted'): tags['offer_converted']='true'
        if 'recording_url' in rec: call['recordingUrl']=TD['rec']
        if 'disposition_name' in rec: tags['disposition']='Sale'
    call['tags']=tags
    occurred={'incoming':D0,'answered':at,'completed':TD['end']}[inf]
    trackdrive.append({'name':f'{t} moment, TrackDrive-native shape (subscription call object, no event)','event':t,'shape':'native',
      'request':{'method':'POST','contentType':'application/json','query':{},'body':rec,'receivedAt':iso(at)},
      'expected':{'type':DTYPE[inf],'eventIdPattern':f'^{TU}:{inf}:[0-9a-f]{{16}}$','occurredAt':iso(occurred),'call':call}})

for name,cases in [('ringba',ringba),('retreaver',retreaver),('trackdrive',trackdrive)]:
    import os; os.makedirs(f'{OUT}/{name}',exist_ok=True)
    with open(f'{OUT}/{name}/webhook-corpus.json','w') as f: json.dump({'provider':name,'cases':cases},f,indent=2); f.write('\n')
    print(name,len(cases))
